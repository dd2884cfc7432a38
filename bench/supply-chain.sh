#!/usr/bin/env bash
# What the SBOM and provenance steps add to a small build: Strata with the default plan and with
# attach_sbom and attach_provenance disabled, alternated in one run (docs/benchmarks.md, "Supply
# chain"). Needs root for buildah.
# Usage: bench/supply-chain.sh [rounds] [vfs|overlay] [htpasswd|none] [warm-ups]   (defaults 7, overlay, htpasswd, 1)
# htpasswd: the registry checks a bcrypt hash on every request (as in the tests); none: no authentication.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
exec "$JAVA_HOME/bin/java" ${STRATA_BENCH_JAVA_OPTS:-} \
  -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.SupplyChainBench "${1:-7}" "${2:-overlay}" "${3:-htpasswd}" "${4:-1}"
