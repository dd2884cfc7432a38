#!/usr/bin/env bash
# Builds per second through every state with the dry-run engine (delay 0) on the embedded store and
# on PostgreSQL (started on loopback by the fixture), and the heap with 1,000 queued builds, in a
# JVM limited to 256 MB of heap. Not a test; results in docs/benchmarks.md ("The queue").
# Usage: bench/queue.sh [builds] [strata_concurrency] [submitters] [warm-up builds] [same|distinct]
#   (defaults 2000, 16, 8, 0, same; distinct: every build with a component and a label of its own)
# A warm-up runs that many builds first, unreported, on a store of its own in the same JVM (steady state).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare
cp="strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*"
for store in sqlite postgres; do
  "$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" io.strata.bench.QueueThroughputBench "$store" "${1:-2000}" "${2:-16}" "${3:-8}" "${4:-0}" "${5:-same}"
done
