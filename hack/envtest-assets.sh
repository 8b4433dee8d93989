#!/usr/bin/env bash
# Prints the absolute path of a directory holding the executables etcd,
# kube-apiserver and kubectl (the envtest KUBEBUILDER_ASSETS layout).
#
# Only that path goes to stdout; progress and errors go to stderr.
#
# - When $KUBEBUILDER_ASSETS is set and holds all three executables, it is used as is.
# - Otherwise pinned versions are built from their Go modules with the installed Go
#   toolchain into a cache directory outside the repository:
#     ${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}/envtest/<k8s>-etcd-<etcd>/
#   The first build takes about 6 minutes on 2 cores with empty Go caches (longer on slow
#   networks); later runs print the cached path at once. Concurrent runs wait for one build.
#
# k8s.io/kubernetes and go.etcd.io/etcd/server/v3 carry `replace` directives in their
# go.mod, so `go install pkg@version` refuses them. Each is built from a throw-away
# wrapper module that pins the replaced modules to their released versions.
set -Eeuo pipefail
shopt -s inherit_errexit

# Kubernetes 1.34: newest patch that passes Go's checksum verification. (v1.34.11 and v1.34.12
# are on the module proxy too, but their checksum database lookups failed (404) when this was
# pinned; we do not turn checksum verification off. Retry them when bumping.)
K8S_VERSION="v1.34.10"
# etcd 3.6 (the line Kubernetes 1.34 uses): newest patch the module proxy serves.
ETCD_VERSION="v3.6.16"

BINARIES=(etcd kube-apiserver kubectl)
STEP="starting"
WORK_DIR=""
STAGE_DIR=""

log() { echo "envtest-assets: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# Reports the failed step once, from the main shell (not from command substitutions).
on_error() {
  if [[ "${BASHPID}" == "$$" ]]; then
    log "ERROR: step failed: ${STEP} (exit code $1)"
  fi
}
cleanup() { rm -rf "${WORK_DIR}" "${STAGE_DIR}"; }
trap 'on_error $?' ERR
trap cleanup EXIT

# True when directory $1 holds all three executables.
has_all_binaries() {
  local dir="$1" bin
  for bin in "${BINARIES[@]}"; do
    [[ -x "${dir}/${bin}" && -f "${dir}/${bin}" ]] || return 1
  done
}

absolute_dir() { (cd "$1" && pwd -P); }

use_kubebuilder_assets_if_complete() {
  [[ -n "${KUBEBUILDER_ASSETS:-}" ]] || return 0
  if has_all_binaries "${KUBEBUILDER_ASSETS}"; then
    absolute_dir "${KUBEBUILDER_ASSETS}"
    exit 0
  fi
  log "KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} lacks one of ${BINARIES[*]}; using the pinned build instead"
}

# Prints the field "$2" (e.g. GoMod) of `go mod download -json $1`.
go_mod_download_field() {
  local module="$1" field="$2" json
  if ! json="$(go mod download -json "${module}")"; then
    echo "${json}" >&2
    return 1
  fi
  sed -n "s/^[[:space:]]*\"${field}\": \"\(.*\)\",\{0,1\}\$/\1/p" <<<"${json}" | head -n 1
}

# Prints the "go" directive line of the go.mod file $1 (e.g. "go 1.24.0").
go_directive_of() { grep -E '^go [0-9]' "$1" | head -n 1; }

# Prints the module paths that the go.mod file $1 replaces with a local directory
# whose path starts with $2 (e.g. "./staging/src/k8s.io/" or "../").
locally_replaced_modules() {
  local gomod="$1" prefix="$2"
  awk -v prefix="${prefix}" '
    { sub(/^replace[[:space:]]+/, "") }
    $2 == "=>" && index($3, prefix) == 1 { print $1 }
  ' "${gomod}" | sort -u
}

# Builds package $3 with the wrapper module in directory $1 into the file $2.
go_build() {
  local module_dir="$1" out="$2" pkg="$3" ldflags="$4"
  go build -C "${module_dir}" -trimpath -ldflags "${ldflags}" -o "${out}" "${pkg}" >&2
}

build_kubernetes() {
  local out_dir="$1" wrapper="$2/kubernetes"
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

  STEP="go build kube-apiserver ${K8S_VERSION}"
  log "${STEP} (the slow part)"
  go_build "${wrapper}" "${out_dir}/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "${ldflags}"
  STEP="go build kubectl ${K8S_VERSION}"
  log "${STEP}"
  go_build "${wrapper}" "${out_dir}/kubectl" k8s.io/kubernetes/cmd/kubectl "${ldflags}"
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

main() {
  use_kubebuilder_assets_if_complete

  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  local envtest_dir="${cache_root}/envtest"
  local dest="${envtest_dir}/${K8S_VERSION#v}-etcd-${ETCD_VERSION#v}"

  if has_all_binaries "${dest}"; then
    absolute_dir "${dest}"
    exit 0
  fi

  STEP="check prerequisites"
  command -v go >/dev/null 2>&1 || die "the Go toolchain ('go') is not on PATH; install Go >= 1.26 or set KUBEBUILDER_ASSETS"
  command -v flock >/dev/null 2>&1 || die "'flock' (util-linux) is not on PATH"

  STEP="lock ${envtest_dir}/.lock"
  mkdir -p "${envtest_dir}"
  exec 9>"${envtest_dir}/.lock"
  log "waiting for the build lock ${envtest_dir}/.lock"
  flock 9

  # Another run may have finished the build while we waited for the lock.
  if has_all_binaries "${dest}"; then
    absolute_dir "${dest}"
    exit 0
  fi

  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod GOWORK=off
  STEP="create temporary directories"
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/datamover-envtest.XXXXXX")"
  # The staging directory lives beside the destination so the final mv is an atomic rename.
  STAGE_DIR="$(mktemp -d "${envtest_dir}/.build.XXXXXX")"

  log "building Kubernetes ${K8S_VERSION} and etcd ${ETCD_VERSION} into ${dest} with $(go version)"
  local started=${SECONDS}
  build_etcd "${STAGE_DIR}" "${WORK_DIR}"
  build_kubernetes "${STAGE_DIR}" "${WORK_DIR}"

  STEP="install into ${dest}"
  has_all_binaries "${STAGE_DIR}" || die "the build did not produce all of ${BINARIES[*]}"
  chmod 0755 "${STAGE_DIR}" # mktemp -d made it private
  rm -rf "${dest}" # an incomplete leftover; complete ones returned above
  mv -T "${STAGE_DIR}" "${dest}"
  STAGE_DIR=""
  log "built in $((SECONDS - started))s"
  absolute_dir "${dest}"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a long build
# runs is never executed after main returns.
main "$@"; exit
