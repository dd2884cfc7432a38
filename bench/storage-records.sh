#!/usr/bin/env bash
# Builds strata-bench and runs the benchmark of reading buildah's image and layer lists (JMH): a build's two reads
# now against the same two reads as they were made before, for 500 and 5,000 layers.
# Extra arguments go to JMH, e.g. bench/storage-records.sh -p layers=5000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/prepare.sh"
bench_prepare
cp="strata-bench/target/strata-bench-0.1.0-SNAPSHOT.jar:strata-bench/target/lib/*"
"$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main StorageRecordsBench -wi 3 -i 5 "$@"
