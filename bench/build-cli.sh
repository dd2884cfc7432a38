#!/usr/bin/env bash
# The whole command line against buildah, side by side in one run: `./strata build` (a fresh JVM
# through the launcher, as users run it) versus `buildah bud` + `buildah push` of the same small
# Dockerfile, both on one private overlay storage and one registry on loopback; medians and the
# ratio, then where the CLI's time goes outside the build's steps. Needs root for buildah.
# Usage: bench/build-cli.sh [iterations]   (default 8)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
./strata --version >/dev/null # builds the command line when its sources changed (not timed)
exec "$JAVA_HOME/bin/java" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.CliBuildBench "$here/strata" "${1:-8}"
