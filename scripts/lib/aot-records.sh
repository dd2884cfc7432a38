# Sourced by the strata launcher: which recording of a kind of command the JDK 25+ start-up cache is
# assembled from (the launcher says how the cache is made, in two steps).
#
# A recording holds the classes its command loaded, and the cache made from it is used by every later
# command of that kind until the jar changes. A recording is therefore kept only when its command vouched
# for it (io.strata.cli.StartUpTraining writes RECORD.ok): it succeeded and did the kind's whole work. A
# cache recorded by `strata build --help`, a build refused at its checkout or a reused build (no buildah
# step, no SBOM) lacks most of a build's classes: builds measured 0.5-0.7 s slower with it than with one
# recorded by a whole build (docs/benchmarks.md, "CLI start-up", eighth pass).
#
# strata_aot_record_to_assemble CACHE JAR: sets REPLY to a finished, vouched recording of CACHE
# (CACHE.PID.config, its maker gone) or to "" when there is none; removes the recordings on the way that
# can never be used (older than JAR, or their maker ended without vouching).
strata_aot_record_to_assemble() {
  local cache="$1" jar="$2" record maker
  REPLY=""
  for record in "$cache".*.config; do
    [ -f "$record" ] || continue
    maker="${record%.config}"; maker="${maker##*.}"
    kill -0 "$maker" 2>/dev/null && continue # still running: its recording is not written yet
    if [ "$jar" -nt "$record" ] || [ ! -f "$record.ok" ]; then
      rm -f "$record" "$record.ok"
      continue
    fi
    REPLY="$record"
    return 0
  done
}
