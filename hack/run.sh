#!/usr/bin/env bash
# Runs the operator on this machine against the cluster of the current kubeconfig (KUBECONFIG or
# ~/.kube/config), the way `make run` did for the Go operator:
#   1. installs or updates the CRDs from crd/ (skip with DATAMOVER_SKIP_CRDS=1),
#   2. builds the operator jar when a source is newer than it,
#   3. runs it; Actuator answers on http://localhost:8080/actuator/health.
# Arguments are passed to the operator, e.g. hack/run.sh --datamover.watch-namespace=team-a
# The leader-election Lease goes to namespace $DATAMOVER_NAMESPACE (default: "default").
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(hack/java-home.sh)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

if [[ "${DATAMOVER_SKIP_CRDS:-}" != "1" ]]; then
  kubectl="${KUBECTL:-kubectl}"
  if ! command -v "$kubectl" >/dev/null 2>&1; then
    echo "hack/run.sh: kubectl not found; install it, set KUBECTL, or apply crd/ yourself and set DATAMOVER_SKIP_CRDS=1" >&2
    exit 1
  fi
  "$kubectl" apply --server-side --force-conflicts -f crd/ >&2
fi

jar="app/target/datamover-operator-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find app/src/main crd pom.xml app/pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "Building the operator..." >&2
  mvn -B -q -ntp -pl app -am package -DskipTests >&2
fi

exec "$JAVA_HOME/bin/java" -jar "$jar" \
  --datamover.leader-election.namespace="${DATAMOVER_NAMESPACE:-default}" "$@"
