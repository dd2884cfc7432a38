#!/usr/bin/env bash
# Build avoidance (reuse, config-only new release) versus buildah's `bud --layers` rebuild of the
# unchanged context + push, side by side in one run (docs/benchmarks.md, "Build avoidance").
# Needs root for buildah.
# Usage: bench/avoidance.sh [iterations] [files] [vfs|overlay]   (defaults 5, 2000, vfs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
# The engine runs with the service's JIT (strata serve's), as it would inside `strata serve`.
. "$here/scripts/lib/jit-flags.sh"
exec "$JAVA_HOME/bin/java" "${STRATA_JIT_FLAGS[@]}" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.AvoidanceBench "${1:-5}" "${2:-2000}" "${3:-vfs}"
