#!/usr/bin/env bash
# Direct assembly of two builds of Strata against the compression limit, alternated in one run
# (io.strata.bench.AssemblyAbBench): REVISION (e.g. a commit before a change) and the working tree,
# each in a fresh JVM per round (warmed up on a small tree first), and tar | pigz -6 | sha256sum +
# upload, on one registry; prints medians, the load average and the layer and pigz output sizes.
# Needs root for buildah (the base image only).
# Usage: bench/assembly-ab.sh REVISION [files] [megabytes] [rounds]   e.g. bench/assembly-ab.sh HEAD~1 20000 300 5
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
revision="${1:?usage: bench/assembly-ab.sh REVISION [files] [megabytes] [rounds]}"
. "$here/bench/lib/prepare.sh"
bench_prepare test-deps
before="$(mktemp -d /tmp/strata-assembly-ab-before.XXXXXX)"
trap 'git -C "$here" worktree remove --force "$before/src" >/dev/null 2>&1 || true; rm -rf "$before"' EXIT
git -C "$here" worktree add --detach "$before/src" "$revision" >/dev/null
(cd "$before/src" && ./mvnw -B -q -pl strata-bench -am package -DskipTests)
harness="$before/harness.jar"
cp strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar "$harness"
"$JAVA_HOME/bin/java" -cp "$harness:strata-bench/target/lib/*" io.strata.bench.AssemblyAbBench \
  "${2:-20000}" "${3:-300}" "${4:-5}" \
  "before ($revision)=$harness:$before/src/strata-bench/target/lib/*" "after (working tree)=$harness:strata-bench/target/lib/*"
