#!/usr/bin/env bash
# A copy-heavy build + push three ways in one run: buildah bud + push, Strata's direct assembly
# (docs/builds.md "Direct assembly"; in the benchmark's process, so JVM start is excluded) and the
# limit (tar | pigz -6 | sha256sum, + upload); then, with growth counts, build time against file count.
# Needs root for buildah.
# Usage: bench/assembly.sh [files] [megabytes] [rounds] [growth counts, e.g. 1000,10000,100000] [overlay|vfs]
#   defaults 5000 files, 100 MB, 3 rounds, no growth table, overlay;
#   the issue's case: bench/assembly.sh 20000 300 3 1000,10000,100000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
exec "$JAVA_HOME/bin/java" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.AssemblyBench "${1:-5000}" "${2:-100}" "${3:-3}" "${4:--}" "${5:-overlay}"
