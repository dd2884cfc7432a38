# Sourced by the strata launcher: the build daemon a local `strata build` hands its command line to
# (io.strata.cli.daemon, docs/builds.md "The build daemon").
#
# strata_daemon_wanted: whether builds may use a daemon (STRATA_DAEMON=off, 0, false or no says they may not).
strata_daemon_wanted() {
  case "${STRATA_DAEMON:-on}" in off|0|false|no) return 1 ;; esac
  return 0
}

# strata_daemon_socket: sets REPLY to the socket of the daemon for this environment, directory and JDK. A daemon
# runs every command in its own environment and working directory, so they name it: a shell with other
# credentials, another storage configuration or another directory gets a daemon of its own. Left out are the
# variables every shell or command changes on its own (_, SHLVL, OLDPWD, PWD, COLUMNS, LINES) and the launcher's
# own. The directory is the one io.strata.cli.daemon.BuildDaemons.directory names (a test holds them equal).
strata_daemon_socket() {
  local dir sum
  if [ -n "${XDG_RUNTIME_DIR:-}" ]; then dir="$XDG_RUNTIME_DIR/strata/daemons"; else dir="${HOME:-}/.cache/strata/daemons"; fi
  sum="$( { printf '%s\0' "$PWD" "$JAVA_HOME" "$STRATA_JDK_RUNTIME"
            env -u _ -u SHLVL -u OLDPWD -u PWD -u COLUMNS -u LINES -u STRATA_LAUNCHER -0 | LC_ALL=C sort -z; } | md5sum)"
  REPLY="$dir/${sum:0:24}.sock"
}
