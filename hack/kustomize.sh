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
LOG_NAME="kustomize"
# log, die, the failed-step report, the removal of STAGE_DIR at exit and the cached build.
# shellcheck source=hack/lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

major_version_of() {
  local out
  out="$("$1" version 2>/dev/null || true)"
  sed -n 's/.*v\([0-9][0-9]*\)\.[0-9][0-9]*\.[0-9][0-9]*.*/\1/p' <<<"${out}" | head -n 1
}

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

build_kustomize() {
  STEP="go install ${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION}"
  GOBIN="$1" go install -trimpath -ldflags "-s -w" "${KUSTOMIZE_MODULE}@${KUSTOMIZE_VERSION}" >&2
}

check_kustomize() {
  local reported
  reported="$("$1" version 2>&1 | head -n 1)"
  [[ "${reported}" == *"${KUSTOMIZE_VERSION}"* ]] || die "expected $1 version to report ${KUSTOMIZE_VERSION}, got '${reported}'"
}

main() {
  use_path_kustomize_if_v5
  cached_go_install "kustomize-${KUSTOMIZE_VERSION#v}" kustomize build_kustomize check_kustomize \
    "install kustomize v5+ or Go"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a build runs is never
# executed after main returns.
main "$@"; exit
