#!/usr/bin/env bash
# Builds strata-bench and runs the Dockerfile parser/editor benchmark (JMH).
# Extra arguments go to JMH, e.g. bench/dockerfile.sh -rf json -rff target/dockerfile-bench.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare
cp="strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*"
"$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main DockerfileBench -f 1 -wi 2 -i 3 "$@"
# The same work measured by thread CPU time too: on a busy host wall-clock figures understate the speed.
"$JAVA_HOME/bin/java" -cp "$cp" io.strata.bench.DockerfileBenchCpuTime 10
