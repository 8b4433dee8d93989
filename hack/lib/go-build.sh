# What the scripts that build pinned executables from Go modules share (hack/envtest-assets.sh,
# hack/snapshot-controller.sh, hack/kustomize.sh, hack/minio.sh): the cached, locked, atomic build
# (cached_build), reporting the failed step, scratch directories removed at exit, and helpers for
# modules whose go.mod carries `replace` directives, which `go install pkg@version` refuses (the
# scripts write a throw-away wrapper module that requires the release and pins the replaced modules,
# then build with it). Functions print results on stdout, everything else on stderr.
#
# Set LOG_NAME (the prefix of messages) before sourcing; assign STEP before each step, and WORK_DIR
# and STAGE_DIR to directories to remove at exit.

STEP="starting"
WORK_DIR=""
STAGE_DIR=""

log() { echo "${LOG_NAME}: $*" >&2; }
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

# Prints the field "$2" (e.g. GoMod, Dir) of `go mod download -json $1`.
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

# Prints the replacements of the go.mod file $1 that point at a module version (not at a local
# directory), e.g. "k8s.io/api => k8s.io/api v0.37.0", one a line, for a wrapper's replace block.
versioned_replacements() {
  awk '
    { sub(/^replace[[:space:]]+/, "") }
    $2 == "=>" && NF == 4 { print }
    $3 == "=>" && NF == 5 { print }
  ' "$1"
}

# Builds package $3 with the wrapper module in directory $1 into the file $2, with linker flags $4.
go_build() {
  local module_dir="$1" out="$2" pkg="$3" ldflags="$4"
  go build -C "${module_dir}" -trimpath -ldflags "${ldflags}" -o "${out}" "${pkg}" >&2
}

is_executable_file() { [[ -x "$1" && -f "$1" ]]; }

# Builds into cache directory $1 once and prints what $4 prints for it (a path). When $2 (a predicate on a
# directory) says $1 is complete, nothing is built. Otherwise: concurrent runs wait for one build (flock on
# $3), the function $5 is called with a staging directory beside $1 and a scratch directory (WORK_DIR) to build
# into, $2 must then hold for the staging directory, and it is moved into place atomically, so a half-built
# directory is never used. $6 says what to do when Go is missing.
cached_build() {
  local dest="$1" complete="$2" lock="$3" print="$4" build="$5" without_go="$6"
  if "${complete}" "${dest}"; then
    "${print}" "${dest}"
    return 0
  fi

  STEP="check prerequisites"
  command -v go >/dev/null 2>&1 || die "the Go toolchain ('go') is not on PATH; ${without_go}"
  command -v flock >/dev/null 2>&1 || die "'flock' (util-linux) is not on PATH"

  STEP="lock ${lock}"
  mkdir -p "$(dirname "${dest}")"
  exec 9>"${lock}"
  log "waiting for the build lock ${lock}"
  flock 9
  # Another run may have finished the build while we waited for the lock.
  if "${complete}" "${dest}"; then
    "${print}" "${dest}"
    return 0
  fi

  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=
  STEP="create temporary directories"
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/datamover-${LOG_NAME}.XXXXXX")"
  # Beside the destination, so the final mv is an atomic rename.
  STAGE_DIR="$(mktemp -d "$(dirname "${dest}")/.$(basename "${dest}").build.XXXXXX")"
  log "building ${dest} with $(go version)"
  local started=${SECONDS}
  "${build}" "${STAGE_DIR}" "${WORK_DIR}"

  STEP="install into ${dest}"
  "${complete}" "${STAGE_DIR}" || die "the build did not produce everything ${dest} needs (see above)"
  chmod 0755 "${STAGE_DIR}" # mktemp -d made it private
  rm -rf "${dest}" # an incomplete leftover; a complete one returned above
  mv -T "${STAGE_DIR}" "${dest}"
  STAGE_DIR=""
  log "built in $((SECONDS - started))s"
  "${print}" "${dest}"
}

# Prints the path of executable $2 in the cache directory $1 (under ${DATAMOVER_CACHE:-~/.cache/datamover}),
# building it first when it is not there (cached_build): the function $3 is called with a staging directory
# to `go install` into (GOBIN), $4 with the built executable to check it. $5 says what to do when Go is
# missing.
cached_go_install() {
  local name="$1"
  CACHED_EXE="$2" CACHED_BUILD="$3" CACHED_CHECK="$4"
  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  cached_build "${cache_root}/${name}" has_cached_exe "${cache_root}/.${name}.lock" print_cached_exe \
    build_and_check_cached_exe "$5"
}

has_cached_exe() { is_executable_file "$1/${CACHED_EXE}"; }
print_cached_exe() { echo "$1/${CACHED_EXE}"; }
build_and_check_cached_exe() {
  "${CACHED_BUILD}" "$1"
  is_executable_file "$1/${CACHED_EXE}" || die "go install did not produce $1/${CACHED_EXE}"
  STEP="check the built executable"
  "${CACHED_CHECK}" "$1/${CACHED_EXE}"
}
