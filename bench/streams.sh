#!/usr/bin/env bash
# Benchmarks `strata streams gen-buildconfigs` on a 1,000-stream group, two ways:
#   1. JMH (io.strata.bench.StreamsBench): generation and YAML rendering in a warm JVM, then the same
#      work timed by thread CPU time (StreamsBenchCpuTime), which a busy host does not inflate.
#   2. Whole process: the strata command on a generated group directory on disk, JVM start included,
#      5 runs, wall and CPU time.
# Usage: bench/streams.sh [--quick] [extra JMH arguments...]   (--quick: shorter JMH runs)
# Results are printed; copy them into docs/benchmarks.md ("Streams").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/java-home.sh"
strata_find_java_home || exit 2
cd "$root"

jmh_args=()
if [ "${1:-}" = --quick ]; then
  shift
  jmh_args=(-wi 2 -i 3 -w 1s -r 1s)
fi

echo "== building strata-bench and strata-cli" >&2
./mvnw -q -B -DskipTests -pl strata-bench,strata-cli -am package >&2

echo "== JMH: io.strata.bench.StreamsBench (1,000 streams)"
"$JAVA_HOME/bin/java" -cp "strata-bench/target/classes:strata-bench/target/lib/*" org.openjdk.jmh.Main \
  'io\.strata\.bench\.StreamsBench\.' "${jmh_args[@]}" "$@"

echo "== by thread CPU time: io.strata.bench.StreamsBenchCpuTime (same work, for busy hosts)"
"$JAVA_HOME/bin/java" -cp "strata-bench/target/classes:strata-bench/target/lib/*" io.strata.bench.StreamsBenchCpuTime 10

echo "== whole process: strata streams gen-buildconfigs on 1,000 streams"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
group="$work/group"
mkdir -p "$group"
cp "$root/examples/streams-group/group.yml" "$group/"
cp -r "$root/examples/streams-group/streams_transforms" "$group/"
transforms=(rhel-8/base-repos rhel-7/base-repos rhel-8/golang rhel-7/golang rhel-8/ci-build-root rhel-7/ci-build-root)
{
  for i in $(seq 0 999); do
    echo "stream-$i:"
    echo "  image: openshift/stream-$i:v{MAJOR}.{MINOR}"
    echo "  upstream_image_base: registry.ci.openshift.org/ocp/builder:stream-$i-openshift-{MAJOR}.{MINOR}.art"
    echo "  upstream_image: registry.ci.openshift.org/ocp/builder:stream-$i-openshift-{MAJOR}.{MINOR}"
    echo "  transform: ${transforms[$((i % 6))]}"
  done
} > "$group/streams.yml"

# Wall time depends on how busy the machine is; CPU time (user+sys) much less so. Both are reported,
# for the default JIT and for C1 only (-XX:TieredStopAtLevel=1, settable through STRATA_JAVA_OPTS),
# which saves the C2 compile work a one-shot process never pays back.
TIMEFORMAT='%R %U %S'
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
for opts in "" "-XX:TieredStopAtLevel=1"; do
  walls=()
  cpus=()
  for run in 1 2 3 4 5; do
    # shellcheck disable=SC2086 # opts is empty or one option
    measured=$( { time "$JAVA_HOME/bin/java" $opts -jar strata-cli/target/strata-cli.jar streams gen-buildconfigs \
      --group-dir "$group" -o "$work/out.yaml" > /dev/null; } 2>&1 )
    read -r real user sys <<< "$measured"
    walls+=("$real")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
  done
  echo "JVM options: ${opts:-(default)}"
  echo "  wall (s): ${walls[*]}; median $(median "${walls[@]}")"
  echo "  cpu user+sys (s): ${cpus[*]}; median $(median "${cpus[@]}")"
done
echo "output: $(wc -c < "$work/out.yaml") bytes, $(grep -c '^kind: BuildConfig' "$work/out.yaml") BuildConfigs," \
  "$(grep -c '^kind: DaemonSet' "$work/out.yaml") DaemonSet; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
