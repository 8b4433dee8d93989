#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md (issue 12) and writes results.json, results.md and data-path.png:
#   - the data path: the mover against `rclone sync` (the baseline) and the peers' flag sets, on MinIO and S3Proxy;
#   - the control plane: 1,000 DataMovers through the operator, then 1,000 waiting on a missing PVC;
#   - the footprint: the operator's start time, memory and CPU for each JVM variant.
#
#   hack/bench.sh --quick            # tiny sizes, one round: a few minutes (bench/target/bench-quick/)
#   hack/bench.sh                    # issue 12's sizes: several hours on 2 cores (docs/benchmarks/)
#   hack/bench.sh --parts=cluster    # only control plane and footprint; --help lists every option
#
# Benchmarks are not part of hack/test.sh; only the --quick run is (BenchQuickIT), so the harness cannot rot.
# Tools are built or fetched on first use and cached in ${DATAMOVER_CACHE:-~/.cache/datamover} (as hack/test.sh
# does, plus MinIO from hack/minio.sh); generated trees are kept in its bench/ directory between runs.
#
# As root with `unshare` and `ip` available, the benchmark runs in a private network namespace, so the loopback
# byte counter sees only its own traffic (DATAMOVER_BENCH_NETNS=0 turns that off). Build output goes to
# bench/target/bench-build.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd -P)"

JAVA_HOME="$(hack/java-home.sh)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# rclone refuses to start ("unsupported transport") while this is set.
unset AWS_CA_BUNDLE

cache="${DATAMOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datamover}"
mkdir -p bench/target
build_log="bench/target/bench-build.log"
: >"$build_log"
mvn_quiet() {
  if ! mvn -B -q -ntp "$@" >>"$build_log" 2>&1; then
    echo "hack/bench.sh: mvn $* failed; the end of $build_log:" >&2
    tail -n 40 "$build_log" >&2
    exit 1
  fi
}

# 1. Everything that needs the network, before a private network namespace cuts it off.
echo "Building the operator and the benchmark harness..." >&2
# Each module of the reactor writes its class path to its own target/classpath.txt; the harness uses bench's.
mvn_quiet -pl rclone-image,app,bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime
classpath_file="bench/target/classpath.txt"
# The mover runs on a jlink runtime made as rclone-image/Dockerfile makes the image's (same modules and options,
# from this JDK instead of the image's musl one); rebuilt only when the module list changes.
mover_runtime="bench/target/mover-runtime"
mover_modules="$(tr -d ' \n' < rclone-image/jlink-modules)"
if [[ "$(cat "$mover_runtime/.modules" 2>/dev/null)" != "$mover_modules" ]]; then
  echo "Building the mover's jlink runtime ($mover_modules)..." >&2
  rm -rf "$mover_runtime"
  "$JAVA_HOME/bin/jlink" --add-modules "$mover_modules" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$mover_runtime" >>"$build_log" 2>&1
  printf '%s' "$mover_modules" >"$mover_runtime/.modules"
fi
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
RCLONE_BINARY="$(hack/rclone.sh)"
export RCLONE_BINARY
# The image starts the mover with an AOT cache recorded by a training run at build time (rclone-image/Dockerfile);
# the same training here, redone whenever the jar changes, so the benchmark measures the start the image has.
mover_jar="rclone-image/target/datamover-mover.jar"
mover_aot="$mover_runtime/mover.aot"
if [[ ! -s "$mover_aot" || "$mover_jar" -nt "$mover_aot" ]]; then
  echo "Training the mover's AOT cache..." >&2
  train="$(mktemp -d)"
  mkdir -p "$train/data" && echo training >"$train/data/file.txt"
  (cd "$train" && env -i PATH="$(dirname "$RCLONE_BINARY"):/usr/bin:/bin" HOME="$train" TMPDIR="$train" \
      LC_ALL=C.UTF-8 REMOTE_TYPE=local MOVER_PATH="$train/remote" MOVER_DATA_DIR="$train/data" \
      MOVER_RESULT_FILE="$train/result" ADD_TIMESTAMP_PREFIX=true MOVER_SOURCE=training \
      "$repo/$mover_runtime/bin/java" @"$repo/rclone-image/jvm-options" -XX:AOTCacheOutput="$repo/$mover_aot" \
      -jar "$repo/$mover_jar" backup) >>"$build_log" 2>&1
  rm -rf "$train"
fi
MINIO_BINARY="$(hack/minio.sh)"
export MINIO_BINARY
s3proxy_version="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml | head -n 1)"
s3proxy_jar="$cache/s3proxy-$s3proxy_version/s3proxy-$s3proxy_version-jar-with-dependencies.jar"
if [[ ! -s "$s3proxy_jar" ]]; then
  echo "Fetching S3Proxy $s3proxy_version..." >&2
  mvn_quiet -N dependency:copy -Dartifact="org.gaul:s3proxy:$s3proxy_version:jar:jar-with-dependencies" \
    -DoutputDirectory="$(dirname "$s3proxy_jar")"
fi
operator_jar="$(ls app/target/datamover-operator-*.jar | grep -v -- '-plain' | head -n 1)"

# 2. The benchmark.
command=("$JAVA_HOME/bin/java" -Xmx1g
  -cp "bench/target/classes:$(cat "$classpath_file")"
  -Ddatamover.root="$repo" -Drclone.binary="$RCLONE_BINARY"
  coffee.acupof.datamover.bench.Bench --operator-jar="$repo/$operator_jar" --s3proxy-jar="$s3proxy_jar"
  --mover-runtime="$repo/$mover_runtime" "$@")
if [[ "${DATAMOVER_BENCH_NETNS:-1}" == "1" && "$(id -u)" == "0" ]] && command -v ip >/dev/null 2>&1 \
    && unshare --net true 2>/dev/null; then
  echo "Running in a private network namespace (loopback bytes are the benchmark's own)." >&2
  exec unshare --net -- bash -c 'ip link set lo up && exec "$@"' bench "${command[@]}"
fi
echo "Running in the machine's network namespace (loopback bytes include other processes' traffic)." >&2
exec "${command[@]}"
