# Sourced by ./strata: whether the system tools a build needs were found installed since the package
# database last changed, so the launcher can skip scripts/install-deps (a dpkg-query, 15-20 ms of every
# `strata build`). Stale when the database changed after the stamp, or when a binfmt_misc handler that
# install-deps registers for a foreign platform is gone (they do not survive a reboot).
# Usage: strata_runtime_deps_current STAMP HOST_ARCH [DPKG_STATUS [BINFMT_CONF_DIR [BINFMT_DIR]]]
strata_runtime_deps_current() {
  local stamp="$1" host_arch="$2" status="${3:-/var/lib/dpkg/status}"
  local conf_dir="${4:-/usr/lib/binfmt.d}" binfmt_dir="${5:-/proc/sys/fs/binfmt_misc}"
  [ -f "$stamp" ] && [ -f "$status" ] && [ ! "$status" -nt "$stamp" ] || return 1
  local conf handler
  for conf in "$conf_dir"/qemu-*.conf; do
    [ -f "$conf" ] || continue
    handler="${conf##*/}"; handler="${handler%.conf}"
    # The platforms install-deps registers, but not this machine's own: its binaries run natively.
    case "$handler" in qemu-x86_64|qemu-aarch64|qemu-s390x|qemu-ppc64le) ;; *) continue ;; esac
    [ "$handler" = "qemu-$host_arch" ] && continue
    [ -e "$binfmt_dir/$handler" ] || return 1
  done
  return 0
}
