#!/usr/bin/env bash
# The wall time of a two-platform build (x86_64 + aarch64 under QEMU, one index) against each platform
# built alone, in one run (docs/benchmarks.md, "Multi-platform builds"). Needs root for buildah and
# the binfmt_misc handlers (install-deps registers them).
# Usage: bench/multi-platform.sh [iterations] [vfs|overlay]   (defaults 3, vfs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
exec "$JAVA_HOME/bin/java" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.MultiPlatformBench "${1:-3}" "${2:-vfs}"
