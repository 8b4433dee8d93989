#!/usr/bin/env bash
# DataMover mover entrypoint, contract version 1 (see docs/mover-contract.md).
#
#   entrypoint.sh [backup|restore|list]      (or MOVER_OPERATION; default backup)
#
# Moves MOVER_DATA_DIR (default /data) to or from an rclone remote configured through the environment,
# writes a completion marker (manifest) last, and reports one JSON object as the last line of stdout and
# in MOVER_RESULT_FILE (default /dev/termination-log).
#
# Exit codes: 0 success, 1 internal error, 2 configuration error, 3 transfer error, 4 safety refusal.
#
# Secrets: values reach rclone only through the environment of the rclone process or a 0600 file in a
# private temp dir; they are never put on a command line and are masked in everything this script prints.
# Tracing (bash -x) is switched off below on purpose: it would print secret values.
set -euo pipefail
{ set +x; } 2>/dev/null
set -E

readonly CONTRACT_VERSION=1
readonly TS_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}$'
readonly META_DIR='.datamover'
readonly DEFAULT_RESULT_FILE=/dev/termination-log

# ----------------------------------------------------------------------------------------------------------
# Result state (reported by finish)
# ----------------------------------------------------------------------------------------------------------
OPERATION="${MOVER_OPERATION:-backup}"
R_DEST=""
R_PIT=""
R_FILES=0
R_BYTES=0
R_ERRORS=0
R_DELETED=0
R_RCLONE_VERSION=""
R_POINTS=""          # JSON array (list only)
FINISHED=0
INTERRUPTED=0
WORK=""
SECRETS=()           # values masked in every line this script prints

log() { printf 'datamover: %s\n' "$(redact "$*")" >&2; }

# Masks every known secret value in $1.
redact() {
  local s="$1" v
  for v in "${SECRETS[@]+"${SECRETS[@]}"}"; do
    s="${s//"$v"/***}"
  done
  printf '%s' "$s"
}

add_secret() {
  local v="$1"
  # Booleans and very short values are not secrets worth masking (masking "true" would garble messages).
  [[ ${#v} -ge 4 ]] || return 0
  case "$(lower "$v")" in true|false) return 0 ;; esac
  SECRETS+=("$v")
}

# Reads lines on stdin and prints them with secrets masked.
redact_stream() {
  local line v
  while IFS= read -r line || [[ -n "$line" ]]; do
    for v in "${SECRETS[@]+"${SECRETS[@]}"}"; do
      line="${line//"$v"/***}"
    done
    printf '%s\n' "$line"
  done
}

# finish EXIT_CODE MESSAGE — prints the result JSON as the last stdout line, writes the result file, exits.
finish() {
  local code="$1" msg="$2" status json
  FINISHED=1
  trap - ERR
  set +e
  [[ $code -eq 0 ]] && status=success || status=failed
  msg="$(redact "$msg")"
  msg="${msg//$'\n'/ }"
  msg="${msg//$'\r'/ }"
  [[ ${#msg} -le 1500 ]] || msg="${msg:0:1497}..."
  local points="${R_POINTS:-null}"
  json="$(build_result "$status" "$code" "$msg" "$points")"
  if [[ "$OPERATION" == list && ${#json} -gt 4000 && "$points" != null ]]; then
    # Kubernetes keeps at most 4096 bytes of a termination message: keep the newest points only.
    local total keep
    total="$(jq 'length' <<<"$points")"
    keep="$total"
    while [[ ${#json} -gt 4000 && $keep -gt 0 ]]; do
      keep=$((keep * 3 / 4))
      json="$(build_result "$status" "$code" "$msg (the newest $keep of $total points are in this JSON; all are listed above)" \
        "$(jq -c --argjson n "$keep" '.[:$n]' <<<"$points")")"
    done
  fi
  if [[ ${#json} -gt 4000 ]]; then
    json="$(build_result "$status" "$code" "${msg:0:300}..." null)"
  fi
  [[ $code -eq 0 ]] || log "$msg"
  write_result_file "$json"
  printf '%s\n' "$json"
  exit "$code"
}

build_result() {
  local status="$1" code="$2" msg="$3" points="$4" pit=null
  [[ -n "$R_PIT" ]] && pit="\"$R_PIT\""
  jq -nc \
    --arg operation "$OPERATION" --arg status "$status" --argjson exitCode "$code" \
    --arg destination "$(redact "$R_DEST")" --argjson pointInTime "$pit" \
    --argjson files "${R_FILES:-0}" --argjson bytes "${R_BYTES:-0}" --argjson errors "${R_ERRORS:-0}" \
    --argjson deleted "${R_DELETED:-0}" --argjson durationSeconds "$SECONDS" \
    --arg rcloneVersion "$R_RCLONE_VERSION" --arg message "$msg" --argjson points "$points" \
    '{operation: $operation, status: $status, exitCode: $exitCode, destination: $destination,
      pointInTime: $pointInTime, files: $files, bytes: $bytes, errors: $errors, deleted: $deleted,
      durationSeconds: $durationSeconds, rcloneVersion: $rcloneVersion, message: $message}
     + (if $points == null then {} else {points: $points} end)' 2>/dev/null \
  || printf '{"operation":"%s","status":"%s","exitCode":%d,"message":"result could not be encoded"}' \
       "${OPERATION//[^a-z]/}" "$status" "$code"
}

write_result_file() {
  local f="${MOVER_RESULT_FILE:-$DEFAULT_RESULT_FILE}" dir
  dir="$(dirname -- "$f")"
  if [[ -e "$f" ]]; then
    [[ -f "$f" && -w "$f" ]] || return 0
  else
    # The kubelet creates /dev/termination-log; never create it elsewhere (e.g. a local run as root).
    [[ "$f" != "$DEFAULT_RESULT_FILE" && -d "$dir" && -w "$dir" ]] || return 0
  fi
  printf '%s\n' "$1" >"$f" 2>/dev/null || true
}

fail_config()   { finish 2 "configuration error: $*"; }
fail_transfer() { finish 3 "transfer error: $*"; }
refuse()        { finish 4 "refused: $*"; }

on_error() {
  local rc=$? line="$1"
  [[ $FINISHED -eq 1 ]] && exit "$rc"
  # Inside a command substitution: let the caller report it.
  [[ ${BASH_SUBSHELL:-0} -gt 0 ]] && exit "$rc"
  if [[ $INTERRUPTED -eq 1 ]]; then
    finish 3 "transfer error: interrupted by a signal; the run is incomplete (no marker was written), rerun it"
  fi
  finish 1 "internal error: command at entrypoint.sh line $line failed with exit code $rc; please report this"
}
trap 'on_error $LINENO' ERR
trap 'INTERRUPTED=1' TERM INT
cleanup() { [[ -n "$WORK" && -d "$WORK" ]] && rm -rf -- "$WORK"; return 0; }
trap cleanup EXIT

# ----------------------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------------------
lower() { printf '%s' "${1,,}"; }

# parse_bool NAME DEFAULT — prints true/false or fails with a configuration error.
parse_bool() {
  local name="$1" def="$2" raw
  raw="${!name-}"
  [[ -z "$raw" ]] && { printf '%s' "$def"; return 0; }
  case "$(lower "$raw")" in
    true) printf true ;;
    false) printf false ;;
    *) return 1 ;;
  esac
}

bool_var() {
  local name="$1" def="$2" v
  v="$(parse_bool "$name" "$def")" || fail_config "$name must be true or false, got '$(redact "${!name}")'"
  printf -v "$3" '%s' "$v"
}

# norm_path VALUE — strips leading/trailing slashes and collapses repeated ones; rejects . and .. segments.
norm_path() {
  local p="$1" seg out=""
  local IFS=/
  for seg in $p; do
    [[ -z "$seg" ]] && continue
    [[ "$seg" == "." || "$seg" == ".." ]] && return 1
    out="${out:+$out/}$seg"
  done
  printf '%s' "$out"
}

# join SPEC SUBPATH — appends a path to an rclone remote spec ("s3:bkt" + "a/b" → "s3:bkt/a/b").
join() {
  local base="$1" sub="$2"
  [[ -z "$sub" ]] && { printf '%s' "$base"; return 0; }
  if [[ "$base" == *: ]]; then printf '%s%s' "$base" "$sub"; else printf '%s/%s' "$base" "$sub"; fi
}

now_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# ----------------------------------------------------------------------------------------------------------
# rclone invocation
# ----------------------------------------------------------------------------------------------------------
RCLONE=rclone
RCLONE_FLAGS=()
RAWLOG=""

# Renders rclone's JSON log lines as readable text on stderr (secrets masked).
render_log() {
  jq -R --unbuffered -r '
    (try fromjson catch null) as $j
    | if ($j | type) == "object" and ($j | has("msg")) then
        "rclone \($j.level // "log" | ascii_upcase): "
        + (if ($j.object // "") != "" then "\($j.object): " else "" end)
        + ($j.msg | tostring | gsub("^\\s+|\\s+$"; "") | gsub("\n"; " | "))
      else . end' | redact_stream >&2
}

# rc OUTFILE ARGS... — runs rclone with the common flags; stdout goes to OUTFILE (or /dev/null for "-"),
# its log (JSON lines) to the per-call log file $RAWLOG and, rendered, to stderr. Returns rclone's code.
rc() {
  local out="$1" code
  shift
  [[ "$out" == - ]] && out=/dev/null
  RAWLOG="$WORK/rclone-$((++RC_CALLS)).log"
  set +e
  "$RCLONE" "${RCLONE_FLAGS[@]}" "$@" 2>&1 >"$out" | tee "$RAWLOG" | render_log
  code=${PIPESTATUS[0]}
  set -e
  if [[ $INTERRUPTED -eq 1 ]]; then
    finish 3 "transfer error: interrupted by a signal; the run is incomplete (no marker was written), rerun it"
  fi
  return "$code"
}
RC_CALLS=0

# Final stats object of the last rclone call ({} when absent).
last_stats() {
  jq -R -c 'try fromjson catch empty | select(type == "object" and has("stats")) | .stats' "$RAWLOG" 2>/dev/null \
    | tail -n1 | grep . || printf '{}'
}

stat_of() { jq -r --arg k "$2" '.[$k] // 0 | floor' <<<"$1"; }

# Last error reported by the last rclone call, one line, secrets masked.
last_error() {
  local e
  e="$(jq -R -r 'try fromjson catch empty
        | select(type == "object" and (.level == "error" or .level == "critical"))
        | ((if (.object // "") != "" then "\(.object): " else "" end) + (.msg | tostring))' "$RAWLOG" 2>/dev/null \
       | tail -n1)"
  if [[ -z "$e" ]]; then
    # Some failures are only reported in rclone's closing NOTICE ("Failed to ...").
    e="$(jq -R -r 'try fromjson catch empty | select(type == "object" and has("msg") and (has("stats") | not)) | .msg | tostring' \
          "$RAWLOG" 2>/dev/null | tail -n1)"
  fi
  if [[ -z "$e" ]]; then
    e="$(grep -v '^[[:space:]]*$' "$RAWLOG" 2>/dev/null | tail -n1 || true)"
  fi
  e="$(redact "$e")"
  e="${e//$'\n'/ }"
  [[ ${#e} -le 400 ]] || e="${e:0:397}..."
  printf '%s' "$e"
}

# Turns the last rclone error into a message that says what to fix.
explain_error() {
  local e
  e="$(last_error)"
  local hint
  case "$e" in
    *SignatureDoesNotMatch*|*InvalidAccessKeyId*|*AccessDenied*|*"Access Denied"*|*StatusCode:\ 401*|*StatusCode:\ 403*|*Unauthorized*|*"authentication failed"*|*"permission denied"*Forbidden*)
      hint="the remote rejected the credentials: check $CRED_HINT" ;;
    *x509:*|*certificate*|*tls:*)
      hint="TLS verification of the endpoint failed: set MOVER_CA_BUNDLE to the CA bundle that signed its certificate, or check TLS_HOST/BUCKET_PORT" ;;
    *"server gave HTTP response to HTTPS client"*)
      hint="the endpoint speaks plain HTTP: set TLS_HOST=false (or use an http:// endpoint)" ;;
    *"connection refused"*|*"no such host"*|*"i/o timeout"*|*"dial tcp"*|*"network is unreachable"*|*"connection reset"*|*"context deadline exceeded"*)
      hint="cannot reach the remote endpoint: check $ENDPOINT_HINT and network policies" ;;
    *NoSuchBucket*|*"bucket does not exist"*|*"directory not found"*)
      hint="bucket or path not found: check $PATH_HINT" ;;
    *"no space left"*)
      hint="no space left on the target volume" ;;
    *)
      hint="see the rclone messages above" ;;
  esac
  printf '%s (rclone: %s)' "$hint" "${e:-no error message}"
}

# ----------------------------------------------------------------------------------------------------------
# Remote configuration
# ----------------------------------------------------------------------------------------------------------
REMOTE_NAME=""      # rclone remote name of the storage (s3 | remote | <section>)
BASE=""             # rclone spec of the configured location, e.g. s3:bucket/sub
ROOT=""             # spec used for all operations (BASE, or the crypt remote over it)
ENCRYPTED=false
CRED_HINT="the remote's credentials"
ENDPOINT_HINT="the remote's endpoint"
PATH_HINT="MOVER_PATH"
PROVIDERS_JSON=""

providers_json() {
  if [[ -z "$PROVIDERS_JSON" ]]; then
    PROVIDERS_JSON="$WORK/providers.json"
    "$RCLONE" config providers >"$PROVIDERS_JSON" 2>/dev/null || printf '[]' >"$PROVIDERS_JSON"
  fi
  printf '%s' "$PROVIDERS_JSON"
}

# is_password_option BACKEND OPTION — true when rclone expects the option obscured.
is_password_option() {
  jq -e --arg b "$1" --arg o "$2" \
    'any(.[] | select(.Name == $b) | .Options[]?; .Name == $o and .IsPassword == true)' "$(providers_json)" >/dev/null
}

# obscure VALUE — rclone's obscured form of VALUE, read from stdin (never on a command line).
obscure() {
  local out
  out="$(printf '%s' "$1" | "$RCLONE" obscure - 2>/dev/null)" || return 1
  printf '%s' "$out"
}

# export_option REMOTE BACKEND OPTION VALUE — sets RCLONE_CONFIG_<REMOTE>_<OPTION>, obscuring passwords.
export_option() {
  local remote="$1" backend="$2" opt="$3" val="$4" var
  var="RCLONE_CONFIG_${remote^^}_${opt^^}"
  if is_password_option "$backend" "$opt"; then
    add_secret "$val"
    val="$(obscure "$val")" || fail_config "could not obscure the value of option '$opt' for the $backend remote"
  fi
  case "$opt" in
    *secret*|*pass*|*key*|*token*|*credential*|*auth*|*sas*) add_secret "$val" ;;
  esac
  export "$var=$val"
}

configure_s3_form() {
  REMOTE_NAME=s3
  local host="${BUCKET_HOST:-}" bucket="${BUCKET_NAME:-}" port="${BUCKET_PORT:-}" tls region scheme
  [[ -n "$bucket" ]] || fail_config "BUCKET_NAME is required for the S3 form (AWS_*/BUCKET_* variables): set it to the bucket to use"
  [[ "$bucket" != */* && "$bucket" != *' '* ]] || fail_config "BUCKET_NAME must be a bucket name without '/' or spaces, got '$bucket' (put sub-paths in MOVER_PATH)"
  [[ -n "$host" ]] || fail_config "BUCKET_HOST is required for the S3 form: set it to the S3 endpoint host, e.g. s3.amazonaws.com or minio.example.com"
  [[ "$host" != *://* && "$host" != */* ]] || fail_config "BUCKET_HOST must be a host name without scheme or path, got '$host' (use TLS_HOST and BUCKET_PORT)"
  bool_var TLS_HOST true tls
  if [[ -z "$port" ]]; then
    [[ "$tls" == true ]] && port=443 || port=80
  fi
  [[ "$port" =~ ^[0-9]{1,5}$ && "$port" -ge 1 && "$port" -le 65535 ]] || fail_config "BUCKET_PORT must be a port number (1-65535), got '$port'"
  [[ "$tls" == true ]] && scheme=https || scheme=http
  region="${AWS_REGION:-us-east-1}"
  local key="${AWS_ACCESS_KEY_ID:-}" secret="${AWS_SECRET_ACCESS_KEY:-}"
  add_secret "$secret"
  export RCLONE_CONFIG_S3_TYPE=s3
  export RCLONE_CONFIG_S3_PROVIDER=Other
  export RCLONE_CONFIG_S3_ENDPOINT="$scheme://$host:$port"
  export RCLONE_CONFIG_S3_REGION="$region"
  export RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true
  # Never create buckets implicitly: a typo in BUCKET_NAME must fail, and many policies forbid CreateBucket.
  export RCLONE_CONFIG_S3_NO_CHECK_BUCKET=true
  if [[ -n "$key" && -n "$secret" ]]; then
    export RCLONE_CONFIG_S3_ENV_AUTH=false
    export RCLONE_CONFIG_S3_ACCESS_KEY_ID="$key"
    export RCLONE_CONFIG_S3_SECRET_ACCESS_KEY="$secret"
  elif [[ -z "$key" && -z "$secret" ]]; then
    export RCLONE_CONFIG_S3_ENV_AUTH=true    # IAM role / web identity
  else
    fail_config "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or neither, to use the pod's IAM identity)"
  fi
  local sub
  sub="$(norm_path "${MOVER_PATH:-}")" || fail_config "MOVER_PATH must not contain '.' or '..' segments, got '${MOVER_PATH}'"
  BASE="s3:$bucket${sub:+/$sub}"
  BUCKET_SPEC="s3:$bucket"
  CRED_HINT="AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
  ENDPOINT_HINT="BUCKET_HOST, BUCKET_PORT and TLS_HOST ($scheme://$host:$port)"
  PATH_HINT="BUCKET_NAME ('$bucket') and MOVER_PATH"
}

configure_file_form() {
  local file="${MOVER_CONFIG_FILE}" section="${MOVER_CONFIG_SECTION:-}"
  [[ -f "$file" && -r "$file" ]] || fail_config "MOVER_CONFIG_FILE '$file' does not exist or is not readable: mount the rclone.conf Secret there"
  [[ -n "$section" ]] || fail_config "MOVER_CONFIG_SECTION is required with MOVER_CONFIG_FILE: set it to the [section] of the rclone.conf to use"
  # rclone may rewrite its config (e.g. refreshed tokens); a Secret mount is read-only, so use a private copy.
  cp -- "$file" "$WORK/rclone.conf"
  chmod 600 "$WORK/rclone.conf"
  CONFIG_PATH="$WORK/rclone.conf"
  # Mask the values of secret-looking keys of the file in everything we print.
  local k v
  while IFS='=' read -r k v; do
    k="${k//[[:space:]]/}"
    v="${v#"${v%%[![:space:]]*}"}"; v="${v%"${v##*[![:space:]]}"}"
    case "$(lower "$k")" in
      *secret*|*pass*|*key*|*token*|*credential*|*auth*|*sas*) add_secret "$v" ;;
    esac
  done < <(grep -E '^[[:space:]]*[A-Za-z0-9_]+[[:space:]]*=' "$CONFIG_PATH" || true)
  local sections
  sections="$("$RCLONE" --config "$CONFIG_PATH" listremotes 2>/dev/null | sed 's/:$//' || true)"
  if ! grep -qxF -- "$section" <<<"$sections"; then
    fail_config "section '$section' not found in MOVER_CONFIG_FILE; it defines: $(tr '\n' ' ' <<<"$sections" | sed 's/ $//')"
  fi
  REMOTE_NAME="$section"
  [[ -n "${MOVER_PATH:-}" ]] || fail_config "MOVER_PATH is required with MOVER_CONFIG_FILE: set it to the bucket and path, e.g. my-bucket/my-pvc"
  local p
  p="$(norm_path "$MOVER_PATH")" || fail_config "MOVER_PATH must not contain '.' or '..' segments, got '$MOVER_PATH'"
  BASE="$section:$p"
  CRED_HINT="the credentials in section [$section] of MOVER_CONFIG_FILE"
  ENDPOINT_HINT="the endpoint in section [$section] of MOVER_CONFIG_FILE"
  PATH_HINT="MOVER_PATH ('$p')"
}

configure_env_form() {
  REMOTE_NAME=remote
  local type="${REMOTE_TYPE}"
  jq -e --arg t "$type" 'any(.[]; .Name == $t)' "$(providers_json)" >/dev/null \
    || fail_config "REMOTE_TYPE '$type' is not an rclone backend (e.g. s3, gcs, azureblob, sftp, webdav)"
  export RCLONE_CONFIG_REMOTE_TYPE="$type"
  local var opt
  while IFS= read -r var; do
    [[ "$var" == REMOTE_TYPE ]] && continue
    opt="$(lower "${var#REMOTE_}")"
    export_option remote "$type" "$opt" "${!var}"
  done < <(compgen -e | grep -E '^REMOTE_[A-Za-z0-9_]+$' || true)
  [[ -n "${MOVER_PATH:-}" ]] || fail_config "MOVER_PATH is required with REMOTE_TYPE: set it to the bucket and path, e.g. my-bucket/my-pvc"
  local p
  p="$(norm_path "$MOVER_PATH")" || fail_config "MOVER_PATH must not contain '.' or '..' segments, got '$MOVER_PATH'"
  BASE="remote:$p"
  CRED_HINT="the REMOTE_* credentials"
  ENDPOINT_HINT="REMOTE_ENDPOINT (or the backend's host option)"
  PATH_HINT="MOVER_PATH ('$p')"
}

configure_crypt() {
  local var opt
  [[ -n "${ENCRYPTED_PASSWORD:-}" ]] || return 0
  [[ "$REMOTE_NAME" != dmcrypt ]] || fail_config "the remote name 'dmcrypt' is reserved for the encryption layer; rename the section"
  ENCRYPTED=true
  export RCLONE_CONFIG_DMCRYPT_TYPE=crypt
  export RCLONE_CONFIG_DMCRYPT_REMOTE="$BASE"
  while IFS= read -r var; do
    opt="$(lower "${var#ENCRYPTED_}")"
    case "$opt" in type|remote) continue ;; esac
    export_option dmcrypt crypt "$opt" "${!var}"
  done < <(compgen -e | grep -E '^ENCRYPTED_[A-Za-z0-9_]+$' || true)
  ROOT="dmcrypt:"
}

configure_remote() {
  CONFIG_PATH="$WORK/empty-rclone.conf"
  : >"$CONFIG_PATH"
  BUCKET_SPEC=""
  if [[ -n "${MOVER_CONFIG_FILE:-}" ]]; then
    configure_file_form
  elif [[ -n "${REMOTE_TYPE:-}" ]]; then
    configure_env_form
  elif [[ -n "${BUCKET_NAME:-}${BUCKET_HOST:-}${BUCKET_PORT:-}${TLS_HOST:-}${AWS_ACCESS_KEY_ID:-}${AWS_SECRET_ACCESS_KEY:-}" ]]; then
    configure_s3_form
  else
    fail_config "no remote configured: set either (b) MOVER_CONFIG_FILE + MOVER_CONFIG_SECTION + MOVER_PATH, (c) REMOTE_TYPE + REMOTE_<OPTION>... + MOVER_PATH, or (a) AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, BUCKET_HOST, BUCKET_NAME (+ BUCKET_PORT, TLS_HOST, AWS_REGION)"
  fi
  ROOT="$BASE"
  configure_crypt
  # Secret-looking pass-through variables (RCLONE_CONFIG_<NAME>_<OPTION>, RCLONE_<BACKEND>_<OPTION>,
  # RCLONE_CONFIG_PASS) are masked too: rclone prints option values at DEBUG level.
  local var
  while IFS= read -r var; do
    case "$var" in
      *SECRET*|*PASS*|*KEY*|*TOKEN*|*CREDENTIAL*|*AUTH*|*SAS*) add_secret "${!var}" ;;
    esac
  done < <(compgen -e | grep -E '^RCLONE_' || true)
  RCLONE_FLAGS=(--config "$CONFIG_PATH" --use-json-log)
  local ca="${MOVER_CA_BUNDLE:-${AWS_CA_BUNDLE_ORIG:-}}"
  if [[ -n "$ca" ]]; then
    [[ -f "$ca" && -r "$ca" ]] || fail_config "CA bundle '$ca' (MOVER_CA_BUNDLE) does not exist or is not readable"
    grep -q -- '-----BEGIN CERTIFICATE-----' "$ca" || fail_config "CA bundle '$ca' (MOVER_CA_BUNDLE) contains no PEM certificate"
    RCLONE_FLAGS+=(--ca-cert "$ca")
  fi
}

# Checks that the remote is reachable and the credentials work before anything is written or deleted.
# BUCKET_SPEC (S3 form) must exist; for the other forms a missing path is fine for a backup.
# Few retries on purpose: wrong credentials, CAs or endpoints fail in seconds instead of minutes of backoff
# (a transient failure here fails the run with exit 3, and the Job retries it).
preflight() {
  local target="${BUCKET_SPEC:-$BASE}"
  if ! rc - lsjson --stat "$target" --retries 1 --low-level-retries 2; then
    local e
    e="$(last_error)"
    if [[ "$e" == *"directory not found"* || "$e" == *NoSuchBucket* ]]; then
      if [[ -n "$BUCKET_SPEC" ]]; then
        fail_config "bucket '${BUCKET_SPEC#s3:}' does not exist at ${RCLONE_CONFIG_S3_ENDPOINT}: create it or fix BUCKET_NAME"
      fi
      return 0
    fi
    fail_transfer "$(explain_error)"
  fi
}

# ----------------------------------------------------------------------------------------------------------
# Layout helpers
# ----------------------------------------------------------------------------------------------------------
display() {  # display SUBPATH — where SUBPATH of ROOT really is, without secrets (base remote name + path)
  join "$BASE" "$1"
}

source_id() {
  local s="${MOVER_SOURCE:-${HOSTNAME:-$(hostname 2>/dev/null || echo default)}}"
  s="${s//[^A-Za-z0-9._-]/_}"
  [[ -n "$s" && "$s" != . && "$s" != .. ]] || s=default
  printf '%s' "${s:0:200}"
}

# Lists timestamp folders under ROOT into $POINTS ("NAME complete|incomplete" lines, newest first).
POINTS=""
list_points() {
  local dirs="$WORK/dirs.txt" marks="$WORK/marks.txt" out="$WORK/points.txt"
  : >"$out"
  POINTS=""
  if ! rc "$dirs" lsf --dirs-only --max-depth 1 "$ROOT"; then
    local e
    e="$(last_error)"
    [[ "$e" == *"directory not found"* ]] && return 0
    fail_transfer "$(explain_error)"
  fi
  rc "$marks" lsf -R --files-only --max-depth 3 --include "/*/$META_DIR/manifest.json" "$ROOT" \
    || fail_transfer "$(explain_error)"
  local d
  { sed 's#/$##' "$dirs" | grep -E "$TS_RE" || true; } | sort -u -r | while IFS= read -r d; do
    if grep -qxF -- "$d/$META_DIR/manifest.json" "$marks"; then
      printf '%s complete\n' "$d"
    else
      printf '%s incomplete\n' "$d"
    fi
  done >"$out"
  POINTS="$(cat "$out")"
}

# Lists fixed-path sources under ROOT into $FIXED ("SOURCE complete|incomplete" lines).
FIXED=""
list_fixed_sources() {
  local out="$WORK/fixed.txt" res="$WORK/fixed-sources.txt"
  : >"$res"
  FIXED=""
  if ! rc "$out" lsf -R --files-only --max-depth 4 --include "/$META_DIR/sources/*/*.json" "$ROOT"; then
    local e
    e="$(last_error)"
    [[ "$e" == *"directory not found"* ]] && return 0
    fail_transfer "$(explain_error)"
  fi
  local s
  sed -n "s#^$META_DIR/sources/\([^/]*\)/\(manifest\|inflight\)\.json\$#\1#p" "$out" | sort -u | while IFS= read -r s; do
    if grep -qxF -- "$META_DIR/sources/$s/manifest.json" "$out"; then
      printf '%s complete\n' "$s"
    else
      printf '%s incomplete\n' "$s"
    fi
  done >"$res"
  FIXED="$(cat "$res")"
}

# exists SPEC_DIR NAME — true when object NAME exists directly in SPEC_DIR.
exists_in() {
  local out="$WORK/exists.txt"
  if ! rc "$out" lsf --files-only --max-depth 1 "$1"; then
    local e
    e="$(last_error)"
    [[ "$e" == *"directory not found"* ]] && return 1
    fail_transfer "$(explain_error)"
  fi
  grep -qxF -- "$2" "$out"
}

# fetch_json SPEC FILE — downloads a small JSON object; fails with a transfer error.
fetch_json() {
  rc "$2" cat "$1" || fail_transfer "could not read $(redact "$1"): $(explain_error)"
  jq -e 'type == "object"' "$2" >/dev/null 2>&1
}

upload() {  # upload LOCAL_FILE SPEC
  rc - copyto "$1" "$2" || fail_transfer "could not write $(redact "$2"): $(explain_error)"
}

# ----------------------------------------------------------------------------------------------------------
# backup
# ----------------------------------------------------------------------------------------------------------
do_backup() {
  local data="$DATA_DIR" ts="" started
  started="$(now_iso)"
  [[ -d "$data" ]] || fail_config "MOVER_DATA_DIR '$data' does not exist or is not a directory: mount the volume there"
  [[ -r "$data" && -x "$data" ]] || fail_config "MOVER_DATA_DIR '$data' is not readable by uid $(id -u): run the mover as the volume's owner or as root"
  if [[ "$ADD_TS" == true ]]; then
    ts="$TIMESTAMP"
    R_PIT="$ts"
  fi
  local sub="$ts" dest meta
  dest="$(join "$ROOT" "$sub")"
  R_DEST="$(display "$sub")"
  if [[ -n "$ts" ]]; then
    meta="$(join "$dest" "$META_DIR")"
  else
    meta="$(join "$ROOT" "$META_DIR/sources/$(source_id)")"
  fi

  # 1. What is to be backed up (names as they will appear in the remote: symlinks as NAME.rclonelink).
  local listing="$WORK/source.json"
  log "listing $data"
  rc "$listing" lsjson -R -M --links --no-mimetype "$data" \
    || fail_transfer "could not list MOVER_DATA_DIR '$data': $(explain_error)"
  if jq -e --arg m "$META_DIR" 'any(.[]; .Path == $m)' "$listing" >/dev/null; then
    refuse "MOVER_DATA_DIR contains a top-level '$META_DIR' entry, which is reserved for the backup marker; rename it"
  fi
  local nfiles nbytes
  nfiles="$(jq '[.[] | select(.IsDir | not)] | length' "$listing")"
  nbytes="$(jq '[.[] | select(.IsDir | not) | .Size] | add // 0' "$listing")"
  if [[ "$nfiles" -eq 0 && "$ALLOW_EMPTY" != true ]]; then
    refuse "MOVER_DATA_DIR '$data' contains no files; refusing to back up an empty volume (it may not be mounted). Set MOVER_ALLOW_EMPTY_SOURCE=true to back it up anyway"
  fi
  jq -j '.[] | select(.IsDir | not) | .Path + "\u0000"' "$listing" >"$WORK/files.lst"

  preflight

  # 2. State left by earlier runs of this source at this location.
  local prev_manifest="$WORK/prev-manifest.json" prev_inflight="$WORK/prev-inflight.json"
  local have_manifest=false
  printf '{"files":[]}' >"$prev_manifest"
  printf '{"files":[]}' >"$prev_inflight"
  if exists_in "$meta" manifest.json; then
    fetch_json "$(join "$meta" manifest.json)" "$prev_manifest" || printf '{"files":[]}' >"$prev_manifest"
    have_manifest=true
  fi
  if [[ -z "$ts" ]] && exists_in "$meta" inflight.json; then
    fetch_json "$(join "$meta" inflight.json)" "$prev_inflight" || printf '{"files":[]}' >"$prev_inflight"
  fi
  local dest_had_data=false
  if [[ -n "$ts" ]]; then
    local probe="$WORK/probe.txt"
    if rc "$probe" lsf --max-depth 1 "$dest" && [[ -s "$probe" ]]; then
      dest_had_data=true
      log "$R_DEST already has data (a retry with the same MOVER_TIMESTAMP): reusing it"
    fi
  fi

  # 3. Everything this source may own at a fixed path is recorded before anything is written, so a
  #    crashed run never leaves objects that a later run would not know to delete.
  local current="$WORK/current.json"
  jq -c '[.[] | select(.IsDir | not) | .Path]' "$listing" >"$current"
  if [[ -z "$ts" ]]; then
    jq -nc --slurpfile m "$prev_manifest" --slurpfile i "$prev_inflight" --slurpfile c "$current" \
      --arg source "${MOVER_SOURCE:-$(source_id)}" --arg started "$started" \
      '{formatVersion: 1, kind: "datamover-inflight", source: $source, startedAt: $started,
        files: ([$m[0].files[]?.path, $i[0].files[]?.path, $c[0][]] | unique | map({path: .}))}' >"$WORK/inflight.json"
    upload "$WORK/inflight.json" "$(join "$meta" inflight.json)"
  fi
  # The old marker goes first: while data changes, this location must not look complete.
  if [[ "$have_manifest" == true ]]; then
    rc - deletefile "$(join "$meta" manifest.json)" || fail_transfer "could not remove the previous marker: $(explain_error)"
  fi

  # 4. Copy.
  log "copying $nfiles files ($nbytes bytes) from $data to $R_DEST"
  local copy_rc=0
  rc - copy "$data" "$dest" --files-from0 "$WORK/files.lst" --links --metadata \
    --stats 1h --stats-log-level NOTICE || copy_rc=$?
  local stats
  stats="$(last_stats)"
  R_FILES="$(stat_of "$stats" transfers)"
  R_BYTES="$(stat_of "$stats" bytes)"
  R_ERRORS="$(stat_of "$stats" errors)"
  if [[ $copy_rc -ne 0 ]]; then
    [[ "$R_ERRORS" -gt 0 ]] || R_ERRORS=1
    fail_transfer "copy to $R_DEST failed (rclone exit $copy_rc): $(explain_error)"
  fi

  # 5. Verify that every listed file arrived with its size (rclone skips files that vanished meanwhile).
  local remote_listing="$WORK/remote.json"
  rc "$remote_listing" lsjson -R --files-only --no-modtime --no-mimetype --files-from0 "$WORK/files.lst" "$dest" \
    || fail_transfer "could not list $R_DEST to verify the copy: $(explain_error)"
  local missing
  missing="$(jq -r --slurpfile r "$remote_listing" '
      ($r[0] | map({key: .Path, value: .Size}) | from_entries) as $have
      | [.[] | select(.IsDir | not) | select($have[.Path] != .Size) | .Path] | (length | tostring) + " " + (.[0] // "")' \
      "$listing")"
  if [[ "${missing%% *}" != 0 ]]; then
    R_ERRORS=$((R_ERRORS + ${missing%% *}))
    fail_transfer "${missing%% *} file(s) did not reach $R_DEST with the expected size (first: '${missing#* }'); the source changed during the backup? Rerun it"
  fi

  # 6. Deletions: only objects this source wrote before (fixed path) or stale objects in the run's own
  #    timestamp folder. Unrelated objects are never touched.
  local del="$WORK/delete.lst" ndel=0
  if [[ -z "$ts" ]]; then
    jq -j --slurpfile m "$prev_manifest" --slurpfile i "$prev_inflight" '
        (map({key: ., value: true}) | from_entries) as $cur
        | [$m[0].files[]?.path, $i[0].files[]?.path] | unique | map(select($cur[.] | not)) | .[] | . + "\u0000"' \
        "$current" >"$del"
  elif [[ "$dest_had_data" == true ]]; then
    # The timestamp folder belongs to this run: drop what an earlier attempt left that is not in the source.
    rc "$remote_listing" lsjson -R --files-only --no-modtime --no-mimetype --exclude "/$META_DIR/**" "$dest" \
      || fail_transfer "could not list $R_DEST: $(explain_error)"
    jq -j --slurpfile r "$remote_listing" '
        (map({key: ., value: true}) | from_entries) as $cur
        | $r[0] | map(select(.IsDir | not) | .Path) | map(select($cur[.] | not)) | .[] | . + "\u0000"' "$current" >"$del"
  else
    : >"$del"
  fi
  if [[ -s "$del" ]]; then
    ndel="$(tr -cd '\0' <"$del" | wc -c)"
    log "deleting $ndel object(s) that are no longer in the source"
    rc - delete "$dest" --files-from0 "$del" --stats 1h --stats-log-level NOTICE \
      || fail_transfer "could not delete removed files from $R_DEST: $(explain_error)"
    R_DELETED="$(stat_of "$(last_stats)" deletes)"
  fi

  # 7. The marker, written last.
  local completed
  completed="$(now_iso)"
  jq -c --arg source "${MOVER_SOURCE:-$(source_id)}" --arg layout "$([[ -n "$ts" ]] && echo timestamp || echo fixed)" \
    --arg pit "$ts" --arg dest "$R_DEST" --argjson encrypted "$ENCRYPTED" --arg started "$started" \
    --arg completed "$completed" --arg rv "$R_RCLONE_VERSION" --argjson cv "$CONTRACT_VERSION" '
    def mode: (.Metadata.mode // "") | if . == "" then null else (.[-4:] | if length < 4 then ("0000" + .)[-4:] else . end) end;
    def num($v): if $v == null then null else ($v | tonumber? // null) end;
    {formatVersion: 1, kind: "datamover-manifest", contractVersion: $cv,
     source: $source, layout: $layout, pointInTime: (if $pit == "" then null else $pit end),
     destination: $dest, encrypted: $encrypted, startedAt: $started, completedAt: $completed,
     rcloneVersion: $rv,
     totalFiles: ([.[] | select(.IsDir | not)] | length),
     totalBytes: ([.[] | select(.IsDir | not) | .Size] | add // 0),
     totalDirectories: ([.[] | select(.IsDir)] | length),
     directories: ([.[] | select(.IsDir) | {path: .Path, mode: mode, mtime: .ModTime,
                     uid: num(.Metadata.uid), gid: num(.Metadata.gid)}] | sort_by(.path)),
     files: ([.[] | select(.IsDir | not)
              | {path: .Path, size: .Size, mode: mode, uid: num(.Metadata.uid), gid: num(.Metadata.gid)}
                + (if ((.Metadata.mode // "") | startswith("120")) then {link: true} else {} end)]
             | sort_by(.path))}' \
    "$listing" >"$WORK/manifest.json"
  upload "$WORK/manifest.json" "$(join "$meta" manifest.json)"
  if [[ -z "$ts" ]]; then
    rc - deletefile "$(join "$meta" inflight.json)" || log "warning: could not remove $(join "$meta" inflight.json) (harmless)"
  fi
  finish 0 "backed up $data to $R_DEST: $R_FILES file(s), $R_BYTES byte(s) transferred, $R_DELETED deleted; the backup holds $nfiles file(s), $nbytes byte(s)"
}

# ----------------------------------------------------------------------------------------------------------
# restore
# ----------------------------------------------------------------------------------------------------------
readonly SYSTEM_DIRS=" / /bin /boot /dev /etc /home /lib /lib32 /lib64 /libx32 /media /mnt /opt /proc /root /run /sbin /srv /sys /tmp /usr /usr/bin /usr/lib /usr/lib32 /usr/lib64 /usr/libexec /usr/local /usr/local/bin /usr/local/lib /usr/local/sbin /usr/sbin /usr/share /var /var/lib /var/log /var/run /var/tmp /var/cache /var/spool "

do_restore() {
  local data="$DATA_DIR" real="$DATA_DIR"
  case "$SYSTEM_DIRS" in
    *" $real "*) refuse "MOVER_DATA_DIR '$DATA_DIR_RAW' resolves to the system directory '$real'; restore into a dedicated volume (e.g. /data)" ;;
  esac
  case "$real" in
    /proc/*|/sys/*|/dev/*) refuse "MOVER_DATA_DIR '$DATA_DIR_RAW' resolves to '$real' inside a kernel filesystem; restore into a dedicated volume (e.g. /data)" ;;
  esac
  if [[ -e "$data" && ! -d "$data" ]]; then
    fail_config "MOVER_DATA_DIR '$data' exists and is not a directory"
  fi
  if [[ -d "$data" && "$ALLOW_NONEMPTY" != true ]]; then
    local first
    first="$(find "$data" -mindepth 1 -maxdepth 1 ! -name lost+found -print -quit 2>/dev/null || true)"
    if [[ -n "$first" ]]; then
      refuse "MOVER_DATA_DIR '$data' is not empty (found '$(basename -- "$first")'); restore into an empty volume or set MOVER_ALLOW_NONEMPTY_TARGET=true to write into it (existing files with the same names are overwritten, others are kept)"
    fi
  fi

  preflight
  local point="${MOVER_RESTORE_POINT:-latest}" src_sub="" manifest_spec=""
  R_DEST="$(display "")"
  case "$(lower "$point")" in latest|fixed) point="$(lower "$point")" ;; esac
  case "$point" in
    latest)
      local points latest incomplete
      list_points
      points="$POINTS"
      latest="$(awk '$2 == "complete" {print $1; exit}' <<<"$points")"
      if [[ -n "$latest" ]]; then
        incomplete="$(awk -v l="$latest" '$2 == "incomplete" && $1 > l {printf "%s%s", sep, $1; sep=", "}' <<<"$points")"
        [[ -z "$incomplete" ]] || log "skipping newer incomplete point(s) in time: $incomplete"
        src_sub="$latest"
        R_PIT="$latest"
        manifest_spec="$(join "$(join "$ROOT" "$latest")" "$META_DIR/manifest.json")"
      elif [[ -n "$points" ]]; then
        refuse "no complete backup under $R_DEST: the point(s) in time $(awk '{printf "%s%s", sep, $1; sep=", "}' <<<"$points") have no completion marker (interrupted backups)"
      else
        select_fixed_source
        manifest_spec="$FIXED_MANIFEST"
      fi
      ;;
    fixed)
      select_fixed_source
      manifest_spec="$FIXED_MANIFEST"
      ;;
    *)
      [[ "$point" =~ $TS_RE ]] || fail_config "MOVER_RESTORE_POINT must be 'latest', 'fixed' or a point in time YYYY-MM-DD-HHMMSS, got '$point'"
      local points state
      list_points
      points="$POINTS"
      state="$(awk -v p="$point" '$1 == p {print $2}' <<<"$points")"
      [[ -n "$state" ]] || refuse "point in time '$point' not found under $R_DEST; available: $(awk '{printf "%s%s(%s)", sep, $1, $2; sep=", "}' <<<"$points")"
      [[ "$state" == complete ]] || refuse "point in time '$point' under $R_DEST has no completion marker (the backup was interrupted); choose a complete one or 'latest'"
      src_sub="$point"
      R_PIT="$point"
      manifest_spec="$(join "$(join "$ROOT" "$point")" "$META_DIR/manifest.json")"
      ;;
  esac
  R_DEST="$(display "$src_sub")"
  local src
  src="$(join "$ROOT" "$src_sub")"

  local manifest="$WORK/manifest.json"
  fetch_json "$manifest_spec" "$manifest" || refuse "the completion marker of $R_DEST is not valid JSON; the backup cannot be trusted"
  jq -e '.files | type == "array"' "$manifest" >/dev/null 2>&1 || refuse "the completion marker of $R_DEST has no file list; the backup cannot be trusted"
  jq -j '.files[] | .path + "\u0000"' "$manifest" >"$WORK/files.lst"
  local nfiles
  nfiles="$(jq '.files | length' "$manifest")"

  mkdir -p -- "$data" || fail_config "cannot create MOVER_DATA_DIR '$data'"
  log "restoring $nfiles files from $R_DEST into $data"
  # POSIX metadata (modes, owners) comes from the manifest afterwards, so it is restored the same way for
  # every backend; rclone itself restores contents, modification times and symlinks.
  local flags=(--files-from0 "$WORK/files.lst" --links --stats 1h --stats-log-level NOTICE)
  local copy_rc=0
  rc - copy "$src" "$data" "${flags[@]}" || copy_rc=$?
  local stats
  stats="$(last_stats)"
  R_FILES="$(stat_of "$stats" transfers)"
  R_BYTES="$(stat_of "$stats" bytes)"
  R_ERRORS="$(stat_of "$stats" errors)"
  if [[ $copy_rc -ne 0 ]]; then
    [[ "$R_ERRORS" -gt 0 ]] || R_ERRORS=1
    fail_transfer "restore from $R_DEST failed (rclone exit $copy_rc): $(explain_error)"
  fi

  # Every file of the manifest must now be there with its size (rclone skips names missing in the remote).
  local local_listing="$WORK/local.json"
  rc "$local_listing" lsjson -R --files-only --links --no-modtime --no-mimetype "$data" \
    || fail_transfer "could not list '$data' to verify the restore: $(explain_error)"
  local missing
  missing="$(jq -r --slurpfile l "$local_listing" '
      ($l[0] | map({key: .Path, value: .Size}) | from_entries) as $have
      | [.files[] | select($have[.path] != .size) | .path] | (length | tostring) + " " + (.[0] // "")' "$manifest")"
  if [[ "${missing%% *}" != 0 ]]; then
    R_ERRORS=$((R_ERRORS + ${missing%% *}))
    fail_transfer "${missing%% *} file(s) of the backup are missing or have the wrong size in $R_DEST (first: '${missing#* }'); the backup was modified after it completed"
  fi

  restore_posix_metadata "$manifest" "$data"
  finish 0 "restored $R_DEST into $data: $R_FILES file(s), $R_BYTES byte(s) transferred; the backup holds $nfiles file(s)"
}

FIXED_MANIFEST=""
# Picks the fixed-path backup to restore: MOVER_SOURCE's, else the only one present.
select_fixed_source() {
  local sources sid chosen=""
  list_fixed_sources
  sources="$FIXED"
  [[ -n "$sources" ]] || refuse "no complete backup found at $R_DEST (no point-in-time folders and no fixed-path marker)"
  sid="$(source_id)"
  if [[ -n "${MOVER_SOURCE:-}" ]] && awk -v s="$sid" '$1 == s {found = 1} END {exit !found}' <<<"$sources"; then
    chosen="$sid"
  elif [[ "$(wc -l <<<"$sources")" -eq 1 ]]; then
    chosen="$(awk '{print $1}' <<<"$sources")"
  else
    refuse "several sources backed up to $R_DEST: $(awk '{printf "%s%s", sep, $1; sep=", "}' <<<"$sources"); set MOVER_SOURCE to the one to restore"
  fi
  awk -v s="$chosen" '$1 == s && $2 == "complete" {found = 1} END {exit !found}' <<<"$sources" \
    || refuse "the fixed-path backup of '$chosen' at $R_DEST has no completion marker (a backup was interrupted); run the backup again"
  FIXED_MANIFEST="$(join "$ROOT" "$META_DIR/sources/$chosen/manifest.json")"
  log "restoring the fixed-path backup of source '$chosen'"
}

# Restores what the manifest recorded beyond contents and file times: every directory (empty ones included)
# with its mode and time, file and directory owners (root only: only root may give files away) and file
# modes. Commands run once per distinct owner or mode, not once per file.
restore_posix_metadata() {
  local manifest="$1" data="$2" path mtime value
  # Local names: symlinks are stored as NAME.rclonelink.
  local names='def localname: if .link then (.path | sub("\\.rclonelink$"; "")) else .path end;'
  while IFS= read -r -d '' path; do
    mkdir -p -- "$data/$path" || log "warning: cannot create directory '$path'"
  done < <(jq -j '.directories[]? | .path + "\u0000"' "$manifest")
  if [[ "$(id -u)" == 0 ]]; then
    while IFS= read -r value; do
      jq -j --arg o "$value" "$names"' [(.files[]? | select(.uid != null and .gid != null) | select("\(.uid):\(.gid)" == $o) | localname),
             (.directories[]? | select(.uid != null and .gid != null) | select("\(.uid):\(.gid)" == $o) | .path)]
          | .[] | . + "\u0000"' "$manifest" \
        | (cd -- "$data" && xargs -0 -r chown -h -- "$value") \
        || log "warning: could not give some files to $value"
    done < <(jq -r '[(.files[]?, .directories[]?) | select(.uid != null and .gid != null) | "\(.uid):\(.gid)"]
                    | unique | .[]' "$manifest")
  fi
  while IFS= read -r value; do
    [[ "$value" =~ ^[0-7]{3,4}$ ]] || continue
    jq -j --arg m "$value" '[(.files[]? | select((.link | not) and .mode == $m) | .path),
                             (.directories[]? | select(.mode == $m) | .path)] | .[] | . + "\u0000"' "$manifest" \
      | (cd -- "$data" && xargs -0 -r chmod -- "$value") \
      || log "warning: could not set mode $value on some files"
  done < <(jq -r '[(.files[]? | select(.link | not)), .directories[]?] | map(.mode // empty) | unique | .[]' "$manifest")
  # Directory times last: nothing below changes them any more.
  while IFS= read -r -d '' path && IFS= read -r -d '' mtime; do
    [[ -z "$mtime" ]] || touch -m -d "$mtime" -- "$data/$path" 2>/dev/null \
      || log "warning: cannot set the time of directory '$path'"
  done < <(jq -j '.directories[]? | .path, "\u0000", (.mtime // ""), "\u0000"' "$manifest")
}

# ----------------------------------------------------------------------------------------------------------
# list
# ----------------------------------------------------------------------------------------------------------
do_list() {
  R_DEST="$(display "")"
  preflight
  local points fixed latest
  list_points
  points="$POINTS"
  list_fixed_sources
  fixed="$FIXED"
  latest="$(awk '$2 == "complete" {print $1; exit}' <<<"$points")"
  R_PIT="$latest"
  if [[ -n "$points" ]]; then
    awk '{printf "%s %s\n", $1, $2}' <<<"$points"
  fi
  if [[ -n "$fixed" ]]; then
    awk '{printf "fixed source=%s %s\n", $1, $2}' <<<"$fixed"
  fi
  R_POINTS="$(
    { [[ -z "$points" ]] || awk '{print $1 "\t" $2}' <<<"$points"; } \
      | jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t") | {name: .[0], complete: (.[1] == "complete")})')"
  if [[ -n "$fixed" ]]; then
    R_POINTS="$(awk '{print $1 "\t" $2}' <<<"$fixed" \
      | jq -R -s -c --argjson p "$R_POINTS" '$p + (split("\n") | map(select(length > 0) | split("\t")
          | {name: "fixed", source: .[0], complete: (.[1] == "complete")}))')"
  fi
  local n c
  n="$(jq 'length' <<<"$R_POINTS")"
  c="$(jq 'map(select(.complete)) | length' <<<"$R_POINTS")"
  finish 0 "$n backup(s) at $R_DEST, $c complete${latest:+; latest complete point in time: $latest}"
}

# ----------------------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------------------
main() {
  if [[ $# -gt 0 && -n "$1" ]]; then
    OPERATION="$1"
  fi
  OPERATION="$(lower "$OPERATION")"
  case "$OPERATION" in
    backup|restore|list) ;;
    *) local bad="${OPERATION:0:40}"; OPERATION="${bad//[^a-z0-9_-]/}"
       fail_config "MOVER_OPERATION (or the first argument) must be backup, restore or list, got '$bad'" ;;
  esac

  # rclone refuses to work while AWS_CA_BUNDLE is set ("unsupported transport"); honour it as a CA bundle.
  AWS_CA_BUNDLE_ORIG="${AWS_CA_BUNDLE:-}"
  unset AWS_CA_BUNDLE

  local tmp="${TMPDIR:-/tmp}"
  WORK="$(mktemp -d "$tmp/datamover.XXXXXX" 2>/dev/null)" \
    || fail_config "cannot create a private temp dir under '$tmp': mount a writable emptyDir at /tmp (readOnlyRootFilesystem) or set TMPDIR"
  chmod 700 "$WORK"
  export RCLONE_CACHE_DIR="${RCLONE_CACHE_DIR:-$WORK/cache}"
  export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$WORK/cache}"

  command -v "$RCLONE" >/dev/null 2>&1 || finish 1 "internal error: rclone is not on PATH"
  command -v jq >/dev/null 2>&1 || finish 1 "internal error: jq is not on PATH"
  R_RCLONE_VERSION="$("$RCLONE" version 2>/dev/null | awk 'NR == 1 {print $2}' || true)"

  DATA_DIR="${MOVER_DATA_DIR:-/data}"
  DATA_DIR_RAW="$DATA_DIR"
  # Absolute, so that rclone never reads a relative name with a colon as a remote.
  DATA_DIR="$(realpath -m -- "$DATA_DIR" 2>/dev/null)" || fail_config "cannot resolve MOVER_DATA_DIR '${MOVER_DATA_DIR:-/data}'"
  bool_var ADD_TIMESTAMP_PREFIX false ADD_TS
  bool_var MOVER_ALLOW_EMPTY_SOURCE false ALLOW_EMPTY
  bool_var MOVER_ALLOW_NONEMPTY_TARGET false ALLOW_NONEMPTY
  TIMESTAMP="${MOVER_TIMESTAMP:-}"
  if [[ -n "$TIMESTAMP" ]]; then
    local as_date
    as_date="${TIMESTAMP:0:10} ${TIMESTAMP:11:2}:${TIMESTAMP:13:2}:${TIMESTAMP:15:2}"
    if ! [[ "$TIMESTAMP" =~ $TS_RE ]] \
       || [[ "$(date -u -d "$as_date" +%Y-%m-%d-%H%M%S 2>/dev/null || true)" != "$TIMESTAMP" ]]; then
      fail_config "MOVER_TIMESTAMP must be a UTC time formatted YYYY-MM-DD-HHMMSS (e.g. 2026-01-02-030405), got '$TIMESTAMP'"
    fi
  else
    TIMESTAMP="$(date -u +%Y-%m-%d-%H%M%S)"
  fi

  configure_remote
  R_DEST="$(display "")"
  case "$OPERATION" in
    backup) do_backup ;;
    restore) do_restore ;;
    list) do_list ;;
  esac
}

main "$@"
