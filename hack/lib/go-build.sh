# What the scripts that build pinned executables from Go modules share (hack/envtest-assets.sh,
# hack/snapshot-controller.sh): reporting the failed step, scratch directories removed at exit, and
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
