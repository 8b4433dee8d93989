#!/usr/bin/env bash
# Runs every test of the project (the README's test command; .ci/run calls it):
#   - unit tests of the operator, the mover and the benchmark harness,
#   - the mover program against the pinned rclone and a real S3 server (S3Proxy) on 127.0.0.1,
#   - the operator against a real etcd + kube-apiserver on 127.0.0.1,
#   - the benchmark harness once at tiny sizes (hack/bench.sh --quick; benchmarks are never judged here).
# Tools are installed or built on first use into ~/.cache/datamover (DATAMOVER_CACHE) and reused:
# the first run on a new machine builds the API server binaries (about 8–10 minutes on 2 cores) and
# the external-snapshotter's snapshot-controller (4–10 minutes more) and MinIO (about 8 minutes more).
# Extra arguments go to Maven, e.g. hack/test.sh -pl app -Dit.test=FullRunIT
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(hack/java-home.sh)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
# Built here (once, cached) rather than inside the first test that needs VolumeSnapshots.
SNAPSHOT_CONTROLLER_ASSETS="$(hack/snapshot-controller.sh)"
RCLONE_BINARY="$(hack/rclone.sh)"
export RCLONE_BINARY
# The benchmark smoke test (BenchQuickIT) runs hack/bench.sh --quick against MinIO: built here (once,
# cached, about 8 minutes the first time) so that no test waits for a build.
MINIO_BINARY="$(hack/minio.sh)"
export MINIO_BINARY
# rclone refuses to start ("unsupported transport") while this is set; tests never need it.
unset AWS_CA_BUNDLE

echo "Java: $JAVA_HOME" >&2
echo "API server binaries: $KUBEBUILDER_ASSETS" >&2
echo "snapshot-controller and its CRDs: $SNAPSHOT_CONTROLLER_ASSETS" >&2
echo "rclone: $RCLONE_BINARY" >&2
echo "MinIO: $MINIO_BINARY" >&2
exec mvn -B -ntp verify "$@"
