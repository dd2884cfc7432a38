# Sourced by the strata launcher: which recording of a kind of command its start-up cache is made from
# (JDK 25+: an AOT cache assembled from a recording, CACHE.PID.config; JDK 21 to 24: a dynamic class data
# sharing archive dumped at the recording command's exit, ARCHIVE.PID.jsa; the launcher says how).
#
# A recording holds the classes its command loaded, and the cache made from it is used by every later
# command of that kind until the jar changes. A recording is therefore kept only when its command vouched
# for it (io.strata.cli.StartUpTraining writes RECORDING.ok): it succeeded and did the kind's whole work. A
# cache recorded by `strata build --help`, a build refused at its checkout or a reused build (no buildah
# step, no SBOM) lacks most of a build's classes: builds measured 0.5-0.7 s slower with it than with one
# recorded by a whole build (docs/benchmarks.md, "CLI start-up", eighth pass).
#
# strata_vouched_recording CACHE JAR SUFFIX: sets REPLY to a finished, vouched recording CACHE.PID.SUFFIX
# (its maker gone) or to "" when there is none; removes the recordings on the way that can never be used
# (older than JAR, or their maker ended without vouching).
strata_vouched_recording() {
  local cache="$1" jar="$2" suffix="$3" record maker
  REPLY=""
  for record in "$cache".*."$suffix"; do
    [ -f "$record" ] || continue
    maker="${record%."$suffix"}"; maker="${maker##*.}"
    kill -0 "$maker" 2>/dev/null && continue # still running: its recording is not written yet
    if [ "$jar" -nt "$record" ] || [ ! -f "$record.ok" ]; then
      rm -f "$record" "$record.ok"
      continue
    fi
    REPLY="$record"
    return 0
  done
}
