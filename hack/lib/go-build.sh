# What the scripts that build pinned executables from Go modules share (hack/envtest-assets.sh,
# hack/snapshot-controller.sh, hack/kustomize.sh, hack/minio.sh): reporting the failed step, scratch directories removed at exit, and
# helpers for modules whose go.mod carries `replace` directives, which `go install pkg@version`
# refuses (the scripts write a throw-away wrapper module that requires the release and pins the
# replaced modules, then build with it). Functions print results on stdout, everything else on stderr.
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

# Prints the path of executable $2 in the cache directory $1 (under ${DATAMOVER_CACHE:-~/.cache/datamover}),
# building it first when it is not there: concurrent runs wait for one build (flock), the function $3 is
# called with a staging directory to `go install` into (GOBIN), $4 with the built executable to check it,
# and the staging directory is then moved into place atomically, so a half-built one is never used. $5 says
# what to do when Go is missing.
cached_go_install() {
  local name="$1" exe="$2" build="$3" check="$4" without_go="$5"
  local cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
  local dest="${cache_root}/${name}"
  local bin="${dest}/${exe}"
  if is_executable_file "${bin}"; then
    echo "${bin}"
    return 0
  fi

  STEP="check prerequisites"
  command -v go >/dev/null 2>&1 || die "the Go toolchain ('go') is not on PATH; ${without_go}"
  command -v flock >/dev/null 2>&1 || die "'flock' (util-linux) is not on PATH"

  STEP="lock ${cache_root}/.${name}.lock"
  mkdir -p "${cache_root}"
  exec 9>"${cache_root}/.${name}.lock"
  log "waiting for the build lock ${cache_root}/.${name}.lock"
  flock 9
  # Another run may have finished the build while we waited for the lock.
  if is_executable_file "${bin}"; then
    echo "${bin}"
    return 0
  fi

  export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=
  STEP="create the staging directory"
  # Beside the destination, so the final mv is an atomic rename.
  STAGE_DIR="$(mktemp -d "${cache_root}/.${exe}-build.XXXXXX")"
  log "building ${name} into ${dest} with $(go version)"
  local started=${SECONDS}
  "${build}" "${STAGE_DIR}"
  is_executable_file "${STAGE_DIR}/${exe}" || die "go install did not produce ${STAGE_DIR}/${exe}"

  STEP="check the built executable"
  "${check}" "${STAGE_DIR}/${exe}"

  STEP="install into ${dest}"
  chmod 0755 "${STAGE_DIR}" # mktemp -d made it private
  rm -rf "${dest}" # an incomplete leftover; a complete one returned above
  mv -T "${STAGE_DIR}" "${dest}"
  STAGE_DIR=""
  log "built in $((SECONDS - started))s"
  echo "${bin}"
}
