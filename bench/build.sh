#!/usr/bin/env bash
# Strata's overhead on a small build versus buildah bud + buildah push run directly, side by side
# in one run (JVM start excluded: Strata runs in the benchmark's process). Needs root for buildah.
# Usage: bench/build.sh [iterations] [vfs|overlay] [trace]   (defaults 5, vfs; trace: the last build's
# steps and log lines with their times)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
# The engine runs with the service's JIT (strata serve's), as it would inside `strata serve`.
. "$here/scripts/lib/jit-flags.sh"
exec "$JAVA_HOME/bin/java" "${STRATA_JIT_FLAGS[@]}" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.BuildOverheadBench "${1:-5}" "${2:-vfs}" ${3:+"$3"}
