# Sourced by the strata launcher and by the benchmarks that run Strata's engine in their own JVM: the
# JIT compiler every strata JVM runs with, the long-running service's too, so that a benchmark "in one
# process" measures the engine as `strata serve` runs it. Strata's own image runs them too: deploy/strata.sh
# names them itself (its /bin/sh cannot source this array), and LauncherScriptsTest holds the two equal.
# The C1 compiler only: every strata command is short or waits on buildah, so C2's warm-up never pays
# back. In the small-build benchmark's JVM (bench/build.sh), C2's compiler thread still used a third of
# the JVM's CPU after a dozen builds, on a core buildah needed (docs/benchmarks.md, "Small-build
# overhead", eleventh pass).
# shellcheck disable=SC2034 # used by whoever sources this
STRATA_JIT_FLAGS=(-XX:TieredStopAtLevel=1)
