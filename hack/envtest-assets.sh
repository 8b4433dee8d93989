#!/usr/bin/env bash
# Prints the absolute path of a directory holding the executables etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl (the envtest KUBEBUILDER_ASSETS layout, plus
# the controller manager and the scheduler that the test kit runs so that Jobs, volumes and pods
# are handled by the real Kubernetes controllers).
#
# Only that path goes to stdout; progress and errors go to stderr.
#
# - When $KUBEBUILDER_ASSETS is set and holds all five executables, it is used as is. When it
#   lacks one (envtest's own downloads have no kube-controller-manager or kube-scheduler), it is
#   ignored with a note on stderr and the pinned build below is used.
# - Otherwise pinned versions are built from their Go modules with the installed Go
#   toolchain into a cache directory outside the repository:
#     ${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}/envtest/<k8s>-etcd-<etcd>-<layout>/
#   The first build takes about 8 minutes on 2 cores with empty Go caches (longer on slow
#   networks or busy machines; kube-controller-manager accounts for about 2 of them); later runs
#   print the cached path at once. Concurrent runs wait for one build.
#   When a directory of an older layout with the same versions exists (e.g. <k8s>-etcd-<etcd>-kcm/
#   from before kube-scheduler was added), its executables are copied and only the missing ones
#   are built (kube-scheduler alone: about a minute, kube-controller-manager about 1.5 minutes,
#   as Go's caches already hold most of what kube-apiserver shares with them).
#   The older directory is left alone: other checkouts may still use it.
#
# k8s.io/kubernetes and go.etcd.io/etcd/server/v3 carry `replace` directives in their
# go.mod, so `go install pkg@version` refuses them. Each is built from a throw-away
# wrapper module that pins the replaced modules to their released versions.
set -Eeuo pipefail
shopt -s inherit_errexit
LOG_NAME="envtest-assets"
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

# Kubernetes 1.34: newest patch that passes Go's checksum verification. (v1.34.11 and v1.34.12
# are on the module proxy too, but their checksum database lookups failed (404) when this was
# pinned; we do not turn checksum verification off. Retry them when bumping.)
K8S_VERSION="v1.34.10"
# etcd 3.6 (the line Kubernetes 1.34 uses): newest patch the module proxy serves.
ETCD_VERSION="v3.6.16"

BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)
KUBERNETES_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
# Part of the cache directory's name. Change it whenever BINARIES changes, so a run never
# replaces a directory that runs of other checkouts (expecting fewer executables) may be using.
# The first layout had no suffix; "kcm" added kube-controller-manager; "kcm-sched" kube-scheduler.
CACHE_LAYOUT="kcm-sched"

# True when $1/$2 is an executable regular file.
has_binary() { [[ -x "$1/$2" && -f "$1/$2" ]]; }

# True when directory $1 holds all executables of BINARIES.
has_all_binaries() {
  local dir="$1" bin
  for bin in "${BINARIES[@]}"; do
    has_binary "${dir}" "${bin}" || return 1
  done
}

# Prints the names of BINARIES that directory $1 lacks, space-separated.
missing_binaries() {
  local dir="$1" bin missing=()
  for bin in "${BINARIES[@]}"; do
    has_binary "${dir}" "${bin}" || missing+=("${bin}")
  done
  echo "${missing[*]}"
}

absolute_dir() { (cd "$1" && pwd -P); }

use_kubebuilder_assets_if_complete() {
  [[ -n "${KUBEBUILDER_ASSETS:-}" ]] || return 0
  if has_all_binaries "${KUBEBUILDER_ASSETS}"; then
    absolute_dir "${KUBEBUILDER_ASSETS}"
    exit 0
  fi
  log "note: KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} lacks $(missing_binaries "${KUBEBUILDER_ASSETS}");" \
    "ignoring it and using the pinned build instead"
}

# Copies into directory $1 the executables of BINARIES that the cache directories of older
# layouts (same Kubernetes and etcd versions, so the same builds) in $2 hold, so only the
# missing ones need to be built.
copy_from_older_layouts() {
  local stage="$1" envtest_dir="$2" versions="${K8S_VERSION#v}-etcd-${ETCD_VERSION#v}"
  local old bin
  for old in "${envtest_dir}/${versions}" "${envtest_dir}/${versions}"-*; do
    [[ -d "${old}" && "${old}" != "${envtest_dir}/${versions}-${CACHE_LAYOUT}" ]] || continue
    for bin in "${BINARIES[@]}"; do
      if ! has_binary "${stage}" "${bin}" && has_binary "${old}" "${bin}"; then
        log "reusing ${old}/${bin}"
        cp "${old}/${bin}" "${stage}/${bin}"
      fi
    done
  done
}

# Builds the Kubernetes executables named in the remaining arguments (a subset of
# KUBERNETES_BINARIES) into directory $1, using scratch directory $2.
build_kubernetes() {
  local out_dir="$1" wrapper="$2/kubernetes"
  shift 2
  local staging_version="v0.${K8S_VERSION#v1.}"
  local gomod staging module minor

  STEP="download k8s.io/kubernetes@${K8S_VERSION}"
  log "${STEP}"
  gomod="$(go_mod_download_field "k8s.io/kubernetes@${K8S_VERSION}" GoMod)"
  [[ -f "${gomod}" ]] || die "no go.mod found for k8s.io/kubernetes@${K8S_VERSION}"
  staging="$(locally_replaced_modules "${gomod}" ./staging/src/k8s.io/)"
  [[ -n "${staging}" ]] || die "found no ./staging replaces in ${gomod}"

  STEP="write wrapper module for kubernetes"
  mkdir -p "${wrapper}"
  {
    echo "module datamover.local/envtest/kubernetes"
    echo
    go_directive_of "${gomod}"
    grep -E '^godebug ' "${gomod}" || true
    echo
    echo "require k8s.io/kubernetes ${K8S_VERSION}"
    echo
    echo "replace ("
    for module in ${staging}; do
      echo "	${module} => ${module} ${staging_version}"
    done
    echo ")"
  } >"${wrapper}/go.mod"

  minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${K8S_VERSION}"
    ldflags+=" -X ${pkg}.gitMajor=1"
    ldflags+=" -X ${pkg}.gitMinor=${minor}"
    ldflags+=" -X ${pkg}.gitTreeState=clean"
  done

  local bin started
  for bin in "$@"; do
    STEP="go build ${bin} ${K8S_VERSION}"
    log "${STEP}"
    started=${SECONDS}
    go_build "${wrapper}" "${out_dir}/${bin}" "k8s.io/kubernetes/cmd/${bin}" "${ldflags}"
    log "built ${bin} in $((SECONDS - started))s"
  done
}

build_etcd() {
  local out_dir="$1" wrapper="$2/etcd"
  local gomod siblings module

  STEP="download go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
  log "${STEP}"
  gomod="$(go_mod_download_field "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" GoMod)"
  [[ -f "${gomod}" ]] || die "no go.mod found for go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
  siblings="$(locally_replaced_modules "${gomod}" ../)"
  [[ -n "${siblings}" ]] || die "found no ../ sibling replaces in ${gomod}"

  STEP="write wrapper module for etcd"
  mkdir -p "${wrapper}"
  {
    echo "module datamover.local/envtest/etcd"
    echo
    go_directive_of "${gomod}"
    echo
    echo "require ("
    echo "	go.etcd.io/etcd/server/v3 ${ETCD_VERSION}"
    for module in ${siblings}; do
      echo "	${module} ${ETCD_VERSION}"
    done
    echo ")"
  } >"${wrapper}/go.mod"

  # In etcd 3.6 the main package of the etcd binary is the server module's root package.
  STEP="go build etcd ${ETCD_VERSION}"
  log "${STEP}"
  go_build "${wrapper}" "${out_dir}/etcd" go.etcd.io/etcd/server/v3 "-s -w"
}

# Builds the missing executables into the staging directory $1 (scratch files in $2).
build_envtest() {
  local stage="$1" work="$2"
  export GOFLAGS=-mod=mod
  STEP="reuse executables of older cache layouts"
  copy_from_older_layouts "${stage}" "${ENVTEST_DIR}"
  local missing bin kubernetes=()
  missing="$(missing_binaries "${stage}")"
  for bin in "${KUBERNETES_BINARIES[@]}"; do
    if [[ " ${missing} " == *" ${bin} "* ]]; then
      kubernetes+=("${bin}")
    fi
  done

  log "building ${missing} (Kubernetes ${K8S_VERSION}, etcd ${ETCD_VERSION})"
  if [[ " ${missing} " == *" etcd "* ]]; then
    build_etcd "${stage}" "${work}"
  fi
  if ((${#kubernetes[@]} > 0)); then
    build_kubernetes "${stage}" "${work}" "${kubernetes[@]}"
  fi
}

main() {
  use_kubebuilder_assets_if_complete
  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  ENVTEST_DIR="${cache_root}/envtest"
  cached_build "${ENVTEST_DIR}/${K8S_VERSION#v}-etcd-${ETCD_VERSION#v}-${CACHE_LAYOUT}" has_all_binaries \
    "${ENVTEST_DIR}/.lock" absolute_dir build_envtest "install Go >= 1.26 or set KUBEBUILDER_ASSETS"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a long build
# runs is never executed after main returns.
main "$@"; exit
