#!/usr/bin/env bash
# Prints the absolute path of a MinIO server executable (and nothing else) on stdout. Progress and errors go
# to stderr. The benchmarks (hack/bench.sh, docs/benchmarks.md) use it as the realistic S3 server beside
# S3Proxy; nothing of the operator or the mover depends on it.
#
# - When $MINIO_BINARY names an executable, that one is used as is.
# - Otherwise the pinned commit below is built from its Go module with the installed Go toolchain into a
#   cache directory outside the repository:
#     ${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}/minio-<version>/minio
#   The first build takes about 8 minutes on 2 cores with empty Go caches; later runs print the cached
#   path at once. Concurrent runs wait for one build (flock), and the result is moved into place
#   atomically, so a half-built directory is never used.
#
# Why a pseudo-version: MinIO tags its releases RELEASE.<date>, which are not semantic versions, so the Go
# module proxy serves its commits as v0.0.0-<time>-<commit> versions. The repository was archived upstream
# after the commit pinned here (its last); its go.mod has no replace directives, so `go install
# module@version` builds it directly, with Go's checksum verification on.
set -Eeuo pipefail
shopt -s inherit_errexit

MINIO_MODULE="github.com/minio/minio"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
# The commit's time, stamped the way MinIO's own release builds do (buildscripts/gen-ldflags.go), so
# `minio --version` names what was built.
MINIO_TIME="2026-02-12T20:18:48Z"
MINIO_RELEASE="RELEASE.2026-02-12T20-18-48Z"
LOG_NAME="minio"
# log, die, the failed-step report and the removal of STAGE_DIR at exit.
# shellcheck source=hack/lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"

build_minio() {
  STEP="go install ${MINIO_MODULE}@${MINIO_VERSION}"
  local pkg="${MINIO_MODULE}/cmd"
  local ldflags="-s -w -X ${pkg}.Version=${MINIO_TIME} -X ${pkg}.ReleaseTag=${MINIO_RELEASE} -X ${pkg}.CopyrightYear=${MINIO_TIME:0:4}"
  ldflags+=" -X ${pkg}.CommitID=${MINIO_VERSION##*-} -X ${pkg}.ShortCommitID=${MINIO_VERSION##*-}"
  # The tag its Makefile builds with.
  GOBIN="$1" go install -tags kqueue -trimpath -ldflags "${ldflags}" "${MINIO_MODULE}@${MINIO_VERSION}" >&2
}

check_minio() {
  local reported
  reported="$("$1" --version 2>&1 | head -n 1)"
  [[ "${reported}" == *"${MINIO_RELEASE}"* ]] || die "expected $1 --version to report ${MINIO_RELEASE}, got '${reported}'"
}

main() {
  if [[ -n "${MINIO_BINARY:-}" ]]; then
    is_executable_file "${MINIO_BINARY}" || die "MINIO_BINARY=${MINIO_BINARY} is not an executable file"
    echo "$(cd "$(dirname "${MINIO_BINARY}")" && pwd -P)/$(basename "${MINIO_BINARY}")"
    exit 0
  fi
  cached_go_install "minio-${MINIO_VERSION#v}" minio build_minio check_minio "install Go >= 1.24 or set MINIO_BINARY"
}

# `exit` on the same line: bash reads a script lazily, so text changed while a build runs is never
# executed after main returns.
main "$@"; exit
