#!/usr/bin/env bash
# Runs the mover on this machine (a laptop, a bare-metal host) with the same environment contract as the image
# (docs/mover-contract.md), e.g. a restore without a cluster:
#
#   MOVER_DATA_DIR=/srv/restored AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... BUCKET_HOST=minio.example.com \
#   BUCKET_NAME=backups MOVER_PATH=prod/db hack/mover.sh restore
#
#   hack/mover.sh [backup|restore|list|prune|verify]
#
# - Builds rclone-image/target/datamover-mover.jar when it is missing or older than its sources (the installed
#   mvn with Temurin 25 from hack/java-home.sh).
# - rclone: $RCLONE_BINARY when set (e.g. RCLONE_BINARY="$(command -v rclone)" for the one on PATH), else the
#   pinned version the image ships, installed by hack/rclone.sh into the cache on first use.
# - The result JSON is the last stdout line; MOVER_RESULT_FILE (default /dev/termination-log, which does not
#   exist outside a container) receives it too when set. The exit code is the contract's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

JAVA_HOME="$("$root/hack/java-home.sh")"
export JAVA_HOME
jar="$root/rclone-image/target/datamover-mover.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find "$root/rclone-image/src/main" "$root/rclone-image/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "hack/mover.sh: building $jar" >&2
  (cd "$root" && mvn -B -q -ntp -pl rclone-image -am package -Dmaven.test.skip=true >&2)
fi

if [[ -n "${RCLONE_BINARY:-}" ]]; then
  rclone="$RCLONE_BINARY"
else
  rclone="$("$root/hack/rclone.sh")"
fi
[[ -x "$rclone" ]] || { echo "hack/mover.sh: rclone '$rclone' is not executable" >&2; exit 1; }
# The mover runs the first rclone on PATH.
rclone_dir="$(mktemp -d "${TMPDIR:-/tmp}/datamover-rclone.XXXXXX")"
trap 'rm -rf "$rclone_dir"' EXIT
ln -s "$(cd "$(dirname "$rclone")" && pwd)/$(basename "$rclone")" "$rclone_dir/rclone"

# File names are decoded with the locale's charset: UTF-8, as in the image.
PATH="$rclone_dir:$PATH" LC_ALL=C.UTF-8 \
  "$JAVA_HOME/bin/java" "@$root/rclone-image/jvm-options" -jar "$jar" "$@"
