#!/usr/bin/env bash
# Prints the absolute path of a directory holding the executable `snapshot-controller` of the
# Kubernetes CSI external-snapshotter project and, in `crds/`, its VolumeSnapshot,
# VolumeSnapshotContent and VolumeSnapshotClass CustomResourceDefinitions (snapshot.storage.k8s.io,
# the group-snapshot ones left out). The test kit runs that controller against the test API server
# (testkit `LocalCluster.snapshots()`), so VolumeSnapshots behave as in a cluster.
#
# Only that path goes to stdout; progress and errors go to stderr.
#
# Both come from Go modules at one pinned version, built and copied with the installed Go toolchain
# into a cache directory outside the repository:
#   ${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}/snapshot-controller-<version>/
# The first build takes 4-10 minutes on 2 busy cores with empty Go caches (most of it compiling
# client-go and the Kubernetes libraries it shares with nothing else we build); later runs print the
# cached path at once. Concurrent runs wait for one build (flock), and the result is moved into
# place atomically, so a half-built directory is never used.
#
# github.com/kubernetes-csi/external-snapshotter/v8 replaces its client module with a local
# directory (./client) in its go.mod, so `go install pkg@version` refuses it. It is built from a
# throw-away wrapper module that requires the client module at the same tag and keeps the release's
# other (versioned) replacements, so the build uses the same dependency versions as the release.
set -Eeuo pipefail
shopt -s inherit_errexit
LOG_NAME="snapshot-controller"
# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

# The newest external-snapshotter release; its go.mod asks for Go 1.26 (the toolchain the other
# tools use) and client-go 0.37, which talks to the 1.34 test API server without trouble (the
# snapshot APIs are CRDs; it uses only stable core APIs).
SNAPSHOTTER_VERSION="v8.7.0"
SNAPSHOTTER_MODULE="github.com/kubernetes-csi/external-snapshotter/v8"
CLIENT_MODULE="github.com/kubernetes-csi/external-snapshotter/client/v8"
CRDS=(
  snapshot.storage.k8s.io_volumesnapshotclasses.yaml
  snapshot.storage.k8s.io_volumesnapshotcontents.yaml
  snapshot.storage.k8s.io_volumesnapshots.yaml
)

# True when directory $1 holds the executable and every CRD file.
is_complete() {
  local dir="$1" crd
  [[ -x "${dir}/snapshot-controller" && -f "${dir}/snapshot-controller" ]] || return 1
  for crd in "${CRDS[@]}"; do
    [[ -s "${dir}/crds/${crd}" ]] || return 1
  done
}

absolute_dir() { (cd "$1" && pwd -P); }

# Writes the wrapper module for the release into directory $1.
write_wrapper() {
  local wrapper="$1" gomod module
  STEP="download ${SNAPSHOTTER_MODULE}@${SNAPSHOTTER_VERSION}"
  log "${STEP}"
  gomod="$(go_mod_download_field "${SNAPSHOTTER_MODULE}@${SNAPSHOTTER_VERSION}" GoMod)"
  [[ -f "${gomod}" ]] || die "no go.mod found for ${SNAPSHOTTER_MODULE}@${SNAPSHOTTER_VERSION}"
  for module in $(locally_replaced_modules "${gomod}" ./); do
    [[ "${module}" == "${CLIENT_MODULE}" ]] \
      || die "${gomod} replaces ${module} with a local directory; the wrapper only knows ${CLIENT_MODULE}"
  done

  STEP="write wrapper module"
  mkdir -p "${wrapper}"
  {
    echo "module datamover.local/snapshot-controller"
    echo
    go_directive_of "${gomod}"
    echo
    echo "require ("
    echo "	${SNAPSHOTTER_MODULE} ${SNAPSHOTTER_VERSION}"
    echo "	${CLIENT_MODULE} ${SNAPSHOTTER_VERSION}"
    echo ")"
    echo
    echo "replace ("
    versioned_replacements "${gomod}" | sed 's/^[[:space:]]*/	/'
    echo ")"
  } >"${wrapper}/go.mod"
}

# Copies the CRD files of the client module into directory $1.
copy_crds() {
  local crd_dir="$1" module_dir crd
  STEP="download ${CLIENT_MODULE}@${SNAPSHOTTER_VERSION}"
  log "${STEP}"
  module_dir="$(go_mod_download_field "${CLIENT_MODULE}@${SNAPSHOTTER_VERSION}" Dir)"
  [[ -d "${module_dir}/config/crd" ]] || die "no config/crd in ${CLIENT_MODULE}@${SNAPSHOTTER_VERSION} (${module_dir})"
  STEP="copy CRDs"
  mkdir -p "${crd_dir}"
  for crd in "${CRDS[@]}"; do
    [[ -f "${module_dir}/config/crd/${crd}" ]] || die "${module_dir}/config/crd has no ${crd}"
    cp "${module_dir}/config/crd/${crd}" "${crd_dir}/${crd}"
    chmod 0644 "${crd_dir}/${crd}" # the module cache is read-only
  done
}

build_snapshot_controller() {
  local stage="$1" work="$2"
  export GOFLAGS=-mod=mod
  write_wrapper "${work}"
  copy_crds "${stage}/crds"
  STEP="go build snapshot-controller ${SNAPSHOTTER_VERSION}"
  log "${STEP}"
  go_build "${work}" "${stage}/snapshot-controller" "${SNAPSHOTTER_MODULE}/cmd/snapshot-controller" \
    "-s -w -X main.version=${SNAPSHOTTER_VERSION}"
}

main() {
  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  cached_build "${cache_root}/snapshot-controller-${SNAPSHOTTER_VERSION#v}" is_complete \
    "${cache_root}/.snapshot-controller.lock" absolute_dir build_snapshot_controller "install Go >= 1.26"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a long build
# runs is never executed after main returns.
main "$@"; exit
