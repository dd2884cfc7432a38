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

# strata_daemon_run KEY ARGS...: hands the command line to the daemon whose files are KEY.sock, KEY.runs (a FIFO it
# reads requests from) and KEY.pid, relays the command's stdout and stderr, and returns 0 with REPLY set to the
# command's exit code. Returns 1 when this launcher must build in a JVM of its own: REPLY=gone (no daemon answers:
# the build then starts one) or busy (it runs another command, or is retiring).
# A shell client, not a JVM's: starting even the smallest JVM took 40-60 ms of a 0.5 s build here (docs/builds.md,
# "The build daemon"). The request names a directory-unique base: BASE.args holds the command line (NUL-separated),
# BASE.out, BASE.err and BASE.status are FIFOs this shell opened before asking, so no output is lost however early
# the command ends: the daemon answers "accepted" (or "busy") on BASE.status, later "exit N", and closing its end
# of BASE.status without that line means it died. The daemon claims a request by renaming BASE.args; a client that
# gets no answer withdraws it with the same rename, so exactly one of them runs the command.
# Ctrl-C, SIGTERM and SIGHUP cancel the command in the daemon (exit 4, as in a process of its own); a second one
# ends this client at once (the daemon sees its pid gone and cancels all the same).
strata_daemon_run() {
  local key="$1"; shift
  local pid ack line_status code tries=0 out_pid err_pid base ow or ew er sw st
  _strata_daemon_cancels=0
  { [ -p "$key.runs" ] && read -r pid < "$key.pid" && kill -0 "$pid"; } 2>/dev/null || { REPLY=gone; return 1; }
  base="${key%/*}/run-$$-$RANDOM$RANDOM"
  mkfifo -m 600 "$base.out" "$base.err" "$base.status" || { REPLY=gone; return 1; }
  if ! printf '%s\0' "$@" > "$base.args"; then
    rm -f "$base.out" "$base.err" "$base.status" "$base.args"; REPLY=gone; return 1
  fi
  # Each FIFO is held open for writing here until the daemon has it open too (a reader alone would see its end).
  exec {ow}<>"$base.out" {or}<"$base.out" {ew}<>"$base.err" {er}<"$base.err" {sw}<>"$base.status" {st}<"$base.status"
  # The relays ignore the terminal's signals: the command's last words ("cancelled") come after a Ctrl-C.
  ( trap '' INT TERM HUP; exec {ow}>&- {ew}>&- {sw}>&- {er}<&- {st}<&-; exec cat <&$or {or}<&- ) & out_pid=$!
  ( trap '' INT TERM HUP; exec {ow}>&- {ew}>&- {sw}>&- {or}<&- {st}<&-; exec cat <&$er >&2 {er}<&- ) & err_pid=$!
  exec {or}<&- {er}<&- {_strata_daemon_runs}<>"$key.runs"
  printf 'run %s\n' "$base" >&$_strata_daemon_runs
  # The answer comes at once from a daemon that is up; one that is gone, or silent for 10 s, gets it withdrawn.
  # (BASE.status cannot end here: this shell holds it open for writing until the answer.)
  _strata_daemon_partial=""
  while :; do
    if _strata_daemon_line "$st"; then line_status=0; else line_status=$?; fi
    if (( line_status == 0 )); then ack="$REPLY"; break; fi
    if kill -0 "$pid" 2>/dev/null && (( ++tries < 20 )); then continue; fi
    if mv "$base.args" "$base.withdrawn" 2>/dev/null; then ack=gone; break; fi
    kill -0 "$pid" 2>/dev/null || { ack=lost; break; } # it took the request, and died
  done
  exec {ow}>&- {ew}>&- {sw}>&-
  if [ "$ack" != accepted ]; then
    exec {st}<&- {_strata_daemon_runs}>&-
    wait "$out_pid" "$err_pid" || true
    rm -f "$base.out" "$base.err" "$base.status" "$base.args" "$base.withdrawn" "$base.taken"
    if [ "$ack" = lost ]; then strata_daemon_lost "$key"; return 0; fi
    REPLY="$ack"; return 1
  fi
  _strata_daemon_base="$base" _strata_daemon_relays="$out_pid $err_pid"
  trap strata_daemon_signalled INT TERM HUP
  code=lost
  while :; do
    if _strata_daemon_line "$st"; then line_status=0; else line_status=$?; fi
    if (( line_status == 0 )); then
      case "$REPLY" in "exit "*) code="${REPLY#exit }"; break ;; esac
    elif (( line_status == 1 )); then
      break # the end of BASE.status without an exit: the daemon died under the command
    fi
  done
  trap - INT TERM HUP
  exec {st}<&- {_strata_daemon_runs}>&-
  wait "$out_pid" "$err_pid" || true
  if [ "$code" = lost ]; then strata_daemon_lost "$key"; return 0; fi
  REPLY="$code"
}

# _strata_daemon_line FD: one line of the daemon's answers on FD into REPLY: returns 0 with the line, 1 at the FIFO's
# end (REPLY: what came of a last line), 2 when nothing came for $_strata_daemon_wait seconds or a signal came first
# (call again: a line begun stays in _strata_daemon_partial). Read a character at a time: `read -t` of a whole line
# drops the part it has read when its time runs out as the line arrives (a loaded machine's `strata build` said
# DAEMON_LOST after its build had completed: "exit 0" was read as "xit 0"), while a single character that came
# as the time ran out is kept in the variable (held by DaemonClientTest with a wait of half a millisecond).
_strata_daemon_wait=0.5
_strata_daemon_line() {
  local c status
  while :; do
    c=""
    if IFS= read -t "$_strata_daemon_wait" -r -N 1 c <&"$1"; then status=0; else status=$?; fi
    if [ -n "$c" ]; then
      if [ "$c" = $'\n' ]; then REPLY="$_strata_daemon_partial"; _strata_daemon_partial=""; return 0; fi
      _strata_daemon_partial+="$c"
      continue
    fi
    (( status > 128 )) && return 2
    REPLY="$_strata_daemon_partial"; _strata_daemon_partial=""
    return 1
  done
}

# The first signal asks the daemon to cancel the command; a second ends this client at once.
strata_daemon_signalled() {
  if (( _strata_daemon_cancels++ == 0 )); then
    printf 'cancel %s\n' "$_strata_daemon_base" >&$_strata_daemon_runs
  else
    kill $_strata_daemon_relays 2>/dev/null
    exit 130
  fi
}

# A daemon that ended before its command did: one clear failure (docs/reasons.md, DAEMON_LOST), exit 1.
strata_daemon_lost() {
  printf '%s\n' "strata: the build daemon of $1.sock ended before the command did [DAEMON_LOST]" \
    "  fix: see its log, $1.log; run the command again (STRATA_DAEMON=off builds in this process)" >&2
  REPLY=1
}
