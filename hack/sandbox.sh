#!/usr/bin/env bash
# Starts a local DataMover sandbox and keeps it running for exploration with kubectl (docs/sandbox.md):
# etcd + kube-apiserver, kube-controller-manager, kube-scheduler, a real S3 server (S3Proxy), a played
# kubelet that runs mover pods as local processes, a played CSI driver, and the operator jar. It backs up
# a sample PVC, prints the phase history and the objects in the bucket, then runs until Ctrl-C or SIGTERM.
#
#   hack/sandbox.sh                    # keep running after the sample backup (--keep-running)
#   hack/sandbox.sh --exit-when-done   # stop and exit once the sample backup is Completed
#
# What it needs is built or fetched on first use and reused afterwards:
#   - the operator jar, rebuilt when a source is newer (as hack/run.sh does; DATAMOVER_SKIP_BUILD=1 uses
#     the jar as it is),
#   - the test kit's classes and their class path (testkit/target/sandbox/),
#   - etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (hack/envtest-assets.sh), rclone
#     (hack/rclone.sh) and the S3Proxy jar, in ${DATAMOVER_CACHE:-~/.cache/datamover}.
# Build output goes to testkit/target/sandbox/build.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd -P)"

JAVA_HOME="$(hack/java-home.sh)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --keep-running|--exit-when-done) ;;
    *) echo "hack/sandbox.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

cache="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
work="testkit/target/sandbox"
build_log="$work/build.log"
mkdir -p "$work"
: >"$build_log"

# Runs Maven quietly into the build log; on failure shows the end of the log.
mvn_quiet() {
  if ! mvn -B -q -ntp "$@" >>"$build_log" 2>&1; then
    echo "hack/sandbox.sh: mvn $* failed; the end of $build_log:" >&2
    tail -n 40 "$build_log" >&2
    exit 1
  fi
}

# 1. The operator jar.
jar="app/target/datamover-operator-0.1.0-SNAPSHOT.jar"
if [[ "${DATAMOVER_SKIP_BUILD:-}" == "1" ]]; then
  [[ -f "$jar" ]] || { echo "hack/sandbox.sh: DATAMOVER_SKIP_BUILD=1 but $jar does not exist" >&2; exit 1; }
elif [[ ! -f "$jar" ]] || [[ -n "$(find app/src/main rclone-image/src/main crd pom.xml app/pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "Building the operator jar..."
  mvn_quiet -pl app -am package -DskipTests
fi

# 2. The test kit's classes and class path. The test scope has slf4j-simple, which writes the sandbox's
# own log; logback (from spring-boot-starter-test) is left out so there is exactly one SLF4J provider.
classpath_file="$work/classpath.txt"
classpath_ok() {
  [[ -s "$classpath_file" && -d testkit/target/classes/coffee/acupof/datamover/testkit/sandbox ]] || return 1
  [[ -z "$(find testkit/src/main testkit/pom.xml pom.xml -newer "$classpath_file" -print -quit)" ]] || return 1
  local entry
  local IFS=:
  for entry in $(cat "$classpath_file"); do
    [[ -e "$entry" ]] || return 1
  done
}
if ! classpath_ok; then
  echo "Building the test kit (the sandbox's code)..."
  mvn_quiet -f testkit/pom.xml compile dependency:build-classpath \
    -Dmdep.outputFile="$repo/$classpath_file.new" -DincludeScope=test \
    -DexcludeArtifactIds=logback-classic,logback-core
  mv "$classpath_file.new" "$classpath_file"
fi

# 3. The tools.
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
RCLONE_BINARY="$(hack/rclone.sh)"
export RCLONE_BINARY
s3proxy_version="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml | head -n 1)"
s3proxy_jar="$cache/s3proxy-$s3proxy_version/s3proxy-$s3proxy_version-jar-with-dependencies.jar"
if [[ ! -s "$s3proxy_jar" ]]; then
  echo "Fetching S3Proxy $s3proxy_version..."
  mvn_quiet -N dependency:copy -Dartifact="org.gaul:s3proxy:$s3proxy_version:jar:jar-with-dependencies" \
    -DoutputDirectory="$(dirname "$s3proxy_jar")"
fi

# 4. The sandbox. It runs in its own session, so that Ctrl-C in this terminal reaches only this script,
# which asks the sandbox to stop (SIGTERM); the sandbox then stops its parts in order. Otherwise the
# terminal would send SIGINT to every process at once and the API server could go before the operator.
command=("$JAVA_HOME/bin/java" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
  -cp "testkit/target/classes:$(cat "$classpath_file")"
  -Ddatamover.root="$repo" -Drclone.binary="$RCLONE_BINARY" -Ds3proxy.jar="$s3proxy_jar"
  coffee.acupof.datamover.testkit.sandbox.Sandbox --repo="$repo" --operator-jar="$repo/$jar" "$@")
pid=""
stop_requested=""
stop_sandbox() {
  stop_requested=1
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
}
trap stop_sandbox INT TERM HUP
if command -v setsid >/dev/null 2>&1; then
  setsid "${command[@]}" &
else
  "${command[@]}" &
fi
pid=$!
if [[ -n "$stop_requested" ]]; then
  kill -TERM "$pid" 2>/dev/null || true
fi
status=0
# wait returns early when a trapped signal arrives; a stopping (or exited, not yet reaped) sandbox still
# answers kill -0, so this waits again until its real exit status is known.
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid" && status=0 || status=$?
done
exit "$status"
