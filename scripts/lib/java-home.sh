# Sourced by ./strata, ./run-tests and bench scripts: point JAVA_HOME at a JDK 21 or newer.
# Order: $JAVA_HOME when it is new enough, then the newest JDK under /usr/lib/jvm.
# Prints a clear message and returns 1 when there is none.

# strata_java_feature DIR: sets REPLY to the feature release (17, 21, 25, ...) of the JDK at DIR, and
# STRATA_JAVA_RUNTIME_READ to its whole version (JAVA_RUNTIME_VERSION, e.g. 25.0.3+9-LTS, else JAVA_VERSION;
# empty without a release file), or returns 1. REPLY, not output: the launcher asks this of every JDK on the
# machine before every command, and a command substitution forks a shell each time (about 3 ms here).
strata_java_feature() {
  local release="$1/release" line
  REPLY=""
  STRATA_JAVA_RUNTIME_READ=""
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  if [ -f "$release" ]; then
    # Read with bash alone, no process. (The file's keys are sorted: the runtime's comes first.)
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_RUNTIME_VERSION=\"*) line="${line#JAVA_RUNTIME_VERSION=\"}"; STRATA_JAVA_RUNTIME_READ="${line%\"}" ;;
        JAVA_VERSION=\"[0-9]*)
          line="${line#JAVA_VERSION=\"}"; REPLY="${line%%[!0-9]*}"
          [ -n "$STRATA_JAVA_RUNTIME_READ" ] || STRATA_JAVA_RUNTIME_READ="${line%\"}"
          return 0 ;;
      esac
    done < "$release"
  else
    REPLY="$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
  fi
  [ -n "$REPLY" ]
}

strata_find_java_home() {
  local best="" best_v=0 best_runtime="" v candidate
  if [ -n "${JAVA_HOME:-}" ]; then
    strata_java_feature "$JAVA_HOME" 2>/dev/null && v=$REPLY || v=0
    if [ "${v:-0}" -ge 21 ]; then best="$JAVA_HOME"; best_v=$v; best_runtime="$STRATA_JAVA_RUNTIME_READ"; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] && [ ! -L "$candidate" ] || continue
    strata_java_feature "$candidate" 2>/dev/null && v=$REPLY || v=0
    if [ "${v:-0}" -gt "$best_v" ]; then best="$candidate"; best_v=$v; best_runtime="$STRATA_JAVA_RUNTIME_READ"; fi
  done
  if [ "$best_v" -lt 21 ]; then
    echo "strata: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm/*)." >&2
    echo "strata: install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export STRATA_JDK_FEATURE="$best_v"
  export STRATA_JDK_RUNTIME="$best_runtime" # its whole version: start-up caches are named after it (./strata)
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own libraries (Guice) use sun.misc.Unsafe; JDK 24+ warns on every run unless allowed.
  if [ "$best_v" -ge 24 ]; then
    case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}
