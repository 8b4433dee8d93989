#!/usr/bin/env bash
# Prints the absolute path of a kustomize executable (v5 or later), and nothing else, on stdout.
# Progress and errors go to stderr.
#
# - When `kustomize` on PATH reports v5 or later, that one is used.
# - Otherwise the pinned version below is built from its Go module with the installed Go toolchain
#   into a cache directory outside the repository:
#     ${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}/kustomize-<version>/kustomize
#   The first build takes about a minute on 2 cores with empty Go caches; later runs print the
#   cached path at once. Concurrent runs wait for one build (flock), and the result is moved into
#   place atomically, so a half-built directory is never used.
#
# Used by deploy/kustomize (docs/install.md) and by KustomizeIT, which renders every overlay and
# applies it to the test API server.
set -Eeuo pipefail
shopt -s inherit_errexit

# Newest v5 release that builds with Go 1.26 (the toolchain the other tools use). The module proxy
# also serves v5.8.3, but its go.mod requires Go >= 1.27; move to it when the toolchain is bumped.
KUSTOMIZE_VERSION="v5.8.2"
KUSTOMIZE_MODULE="sigs.k8s.io/kustomize/kustomize/v5"
STEP="starting"
STAGE_DIR=""

log() { echo "kustomize: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
on_error() {
  if [[ "${BASHPID}" == "$$" ]]; then
    log "ERROR: step failed: ${STEP} (exit code $1)"
  fi
}
cleanup() { if [[ -n "${STAGE_DIR}" ]]; then rm -rf "${STAGE_DIR}"; fi; }
trap 'on_error $?' ERR
trap cleanup EXIT

# Prints the major version that the kustomize executable $1 reports (e.g. 5), or nothing.
# v5 prints "v5.8.3"; v3/v4 print "{Version:kustomize/v4.5.7 GitCommit:...}".
major_version_of() {
  local out
  out="$("$1" version 2>/dev/null || true)"
  sed -n 's/.*v\([0-9][0-9]*\)\.[0-9][0-9]*\.[0-9][0-9]*.*/\1/p' <<<"${out}" | head -n 1
}

is_executable_file() { [[ -x "$1" && -f "$1" ]]; }

use_path_kustomize_if_v5() {
  local found major
  found="$(command -v kustomize 2>/dev/null || true)"
  [[ -n "${found}" ]] || return 0
  major="$(major_version_of "${found}")"
  if [[ -n "${major}" ]] && ((major >= 5)); then
    # Resolve to an absolute path (command -v may print a relative one for PATH entries like ".").
    echo "$(cd "$(dirname "${found}")" && pwd -P)/$(basename "${found}")"
    exit 0
  fi
  log "note: ${found} is not kustomize v5+ (reports '$("${found}" version 2>&1 | head -n 1)'); using the pinned ${KUSTOMIZE_VERSION}"
}

main() {
  use_path_kustomize_if_v5

  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  local dest="${cache_root}/kustomize-${KUSTOMIZE_VERSION#v}"
  local bin="${dest}/kustomize"

  if is_executable_file "${bin}"; then
    echo "${bin}"
    exit 0
  fi

  STEP="check prerequisites"
  command -v go >/dev/null 2>&1 || die "neither kustomize v5+ nor the Go toolchain ('go') is on PATH; install one of them"
  command -v flock >/dev/null 2>&1 || die "'flock' (util-linux) is not on PATH"

  STEP="lock ${cache_root}/.kustomize-${KUSTOMIZE_VERSION#v}.lock"
  mkdir -p "${cache_root}"
  exec 9>"${cache_root}/.kustomize-${KUSTOMIZE_VERSION#v}.lock"
  log "waiting for the build lock ${cache_root}/.kustomize-${KUSTOMIZE_VERSION#v}.lock"
  flock 9

  # Another run may have finished the build while we waited for the lock.
  if is_executable_file "${bin}"; then
    echo "${bin}"
    exit 0
  fi

  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=
  STEP="create the staging directory"
  # Beside the destination, so the final mv is an atomic rename.
  STAGE_DIR="$(mktemp -d "${cache_root}/.kustomize-build.XXXXXX")"

  STEP="go install ${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION}"
  log "building ${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION} into ${dest} with $(go version)"
  local started=${SECONDS}
  GOBIN="${STAGE_DIR}" go install -trimpath -ldflags "-s -w" "${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION}" >&2
  is_executable_file "${STAGE_DIR}/kustomize" || die "go install did not produce ${STAGE_DIR}/kustomize"

  STEP="check the built version"
  local reported
  reported="$("${STAGE_DIR}/kustomize" version 2>&1 | head -n 1)"
  [[ "${reported}" == *"${KUSTOMIZE_VERSION}"* ]] \
    || die "expected ${STAGE_DIR}/kustomize version to report ${KUSTOMIZE_VERSION}, got '${reported}'"

  STEP="install into ${dest}"
  chmod 0755 "${STAGE_DIR}" # mktemp -d made it private
  rm -rf "${dest}" # an incomplete leftover; a complete one returned above
  mv -T "${STAGE_DIR}" "${dest}"
  STAGE_DIR=""
  log "built in $((SECONDS - started))s"
  echo "${bin}"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a build runs is never
# executed after main returns.
main "$@"; exit
