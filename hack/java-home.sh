#!/usr/bin/env bash
# Prints the JAVA_HOME to build and run with: the newest Temurin JDK under /usr/lib/jvm (Java 25 or
# later), or $JAVA_HOME when it already points at Java 25+. Fails with a message saying what to install.
set -euo pipefail

major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]] && (( $(major "$JAVA_HOME") >= 25 )); then
  printf '%s\n' "$JAVA_HOME"
  exit 0
fi
candidate=$(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$candidate" || ! -x "$candidate/bin/java" ]] || (( $(major "$candidate") < 25 )); then
  echo "hack/java-home.sh: no Java 25+ JDK found; install Temurin 25 under /usr/lib/jvm or set JAVA_HOME to a Java 25 JDK" >&2
  exit 1
fi
printf '%s\n' "$candidate"
