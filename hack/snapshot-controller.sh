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

print_if_complete() {
  if is_complete "$1"; then
    (cd "$1" && pwd -P)
    exit 0
  fi
}

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

main() {
  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  local dest="${cache_root}/snapshot-controller-${SNAPSHOTTER_VERSION#v}"
  print_if_complete "${dest}"

  STEP="check prerequisites"
  command -v go >/dev/null 2>&1 || die "the Go toolchain ('go') is not on PATH; install Go >= 1.26"
  command -v flock >/dev/null 2>&1 || die "'flock' (util-linux) is not on PATH"

  STEP="lock ${cache_root}/.snapshot-controller.lock"
  mkdir -p "${cache_root}"
  exec 9>"${cache_root}/.snapshot-controller.lock"
  log "waiting for the build lock ${cache_root}/.snapshot-controller.lock"
  flock 9
  # Another run may have finished the build while we waited for the lock.
  print_if_complete "${dest}"

  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod GOWORK=off
  STEP="create temporary directories"
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/datamover-snapshot-controller.XXXXXX")"
  # The staging directory lives beside the destination so the final mv is an atomic rename.
  STAGE_DIR="$(mktemp -d "${cache_root}/.snapshot-controller-build.XXXXXX")"

  write_wrapper "${WORK_DIR}"
  copy_crds "${STAGE_DIR}/crds"
  STEP="go build snapshot-controller ${SNAPSHOTTER_VERSION}"
  log "${STEP} into ${dest} with $(go version)"
  local started=${SECONDS}
  go_build "${WORK_DIR}" "${STAGE_DIR}/snapshot-controller" "${SNAPSHOTTER_MODULE}/cmd/snapshot-controller" \
    "-s -w -X main.version=${SNAPSHOTTER_VERSION}"
  log "built in $((SECONDS - started))s"

  STEP="install into ${dest}"
  is_complete "${STAGE_DIR}" || die "the build did not produce snapshot-controller and ${CRDS[*]}"
  chmod 0755 "${STAGE_DIR}" # mktemp -d made it private
  rm -rf "${dest}" # an incomplete leftover; a complete one returned above
  mv -T "${STAGE_DIR}" "${dest}"
  STAGE_DIR=""
  print_if_complete "${dest}"
  die "${dest} is incomplete after the build"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a long build
# runs is never executed after main returns.
main "$@"; exit
