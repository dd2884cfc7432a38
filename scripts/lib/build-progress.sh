# shellcheck shell=bash
# Progress of the launcher's first build. Maven is quiet with -q and far too chatty without it; this
# reads Maven's output on stdin and prints one short line per module as Maven starts it, e.g.
#   strata: building the command line: 3/7 Strata core ...
# so the first `./strata demo` (about a minute of compiling) shows it is moving.
strata_build_progress() {
  awk '/^\[INFO\] Building .* \[[0-9]+\/[0-9]+\]$/ {
    step = $NF; gsub(/[][]/, "", step)
    name = $0
    sub(/^\[INFO\] Building /, "", name)      # "Strata core: domain, ... 0.1.0-SNAPSHOT [3/7]"
    sub(/ +\[[0-9]+\/[0-9]+\]$/, "", name)     # without the step
    sub(/ [^ ]+$/, "", name)                    # without the version
    sub(/:.*/, "", name)                        # the module name only, not its description
    printf "strata: building the command line: %s %s ...\n", step, name
    fflush()
  }'
}
