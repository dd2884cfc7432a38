#!/usr/bin/env bash
# The whole command line against buildah, side by side in one run: `./strata build` (a fresh JVM
# through the launcher, as users run it) versus `buildah bud` + `buildah push` of the same small
# Dockerfile, both on one private overlay storage and one registry on loopback; medians and the
# ratio, then where the CLI's time goes outside the build's steps. Needs root for buildah.
# Usage: bench/build-cli.sh [iterations] [other-launcher...]   (default 8; each other launcher, e.g. a
# checkout of the code before a change, is measured in the same run, alternately)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
./strata --version >/dev/null # builds the command line when its sources changed (not timed)
launchers="$here/strata"
for other in "${@:2}"; do
  "$other" --version >/dev/null # builds that command line too when needed (not timed)
  launchers="$launchers,$other"
done
exec "$JAVA_HOME/bin/java" -cp "strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*" \
  io.strata.bench.CliBuildBench "$launchers" "${1:-8}"
