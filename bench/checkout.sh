#!/usr/bin/env bash
# Strata's checkout versus git clone, side by side in one run, on a generated copy-heavy repository
# (JVM start excluded: Strata's checkout runs in the benchmark's process). Medians of alternated runs.
# Usage: bench/checkout.sh [files] [megabytes] [rounds] [growth file counts, e.g. 1000,10000,100000]
#   defaults 5000 files, 60 MB, 3 rounds, no growth table (about a minute);
#   the issue's case: bench/checkout.sh 20000 300 5 1000,10000,100000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare
exec "$JAVA_HOME/bin/java" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.CheckoutBench "${1:-5000}" "${2:-60}" "${3:-3}" "${4:--}"
