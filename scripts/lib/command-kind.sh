# Sourced by the strata launcher: which start-up cache a command uses (one per kind of command,
# because the JVM keeps the classes the run that made the cache loaded, and a `build` (JGit, the
# registry client, the SBOM and schema libraries: about twice the classes) would otherwise read most
# of its classes from the jar every time when the cache was made by, say, `strata --version`).
#
# strata_command_kind ARGS...: sets REPLY (not output: a command substitution would fork a shell on every
# command) to cli, build, demo, worker, serve, controller, daemon or records (the record
# commands open the store: their cache must not be one `strata --version` made). A build or record
# command handed to a build service (--server, $STRATA_SERVER) is build-remote or records-remote: it
# loads the service client's classes, not the engine's, and drives no buildah. (A server named only in
# the configuration file, strata_server_url, is not seen here: such a command shares the local cache.)
strata_command_kind() {
  local kind=cli word other remote=""
  for word in "$@"; do
    case "$word" in
      build|demo|worker|serve|controller) kind="$word"; break ;;
      # Only the daemon itself runs long and loads a build's classes; `daemon status` and `daemon stop` are short
      # commands, and a cache recorded by one of them would leave the daemon's start reading its classes from the jar.
      daemon) kind=cli; for other in "$@"; do [ "$other" = run ] && kind=daemon; done; break ;;
      list-builds|get-build|build-logs|watch-build|cancel-build|get-build-image-id) kind=records; break ;;
    esac
  done
  [ -n "${STRATA_SERVER:-}" ] && remote=1
  for word in "$@"; do
    case "$word" in --server|--server=*) remote=1; break ;; esac
  done
  case "$kind" in build|records) [ -n "$remote" ] && kind="$kind-remote" ;; esac
  REPLY="$kind"
}

# strata_asks_for_usage ARGS...: whether the command line asks for usage, a version or help instead of running
# a command (returns 0 then). The launcher does not record a start-up cache for such a run of a kind other than
# `cli`: it would not be kept (io.strata.cli.StartUpTraining), and recording costs about a second at the exit.
strata_asks_for_usage() {
  local word
  [ "${1:-}" = help ] && return 0
  for word in "$@"; do
    case "$word" in --) return 1 ;; -h|--help|-V|--version) return 0 ;; esac
  done
  return 1
}
