# Sourced by the strata launcher: strata_text_hash TEXT sets REPLY to a 32-bit FNV-1a hash of TEXT's bytes
# (a decimal number). It names the start-up cache made by a given JDK with a given set of JVM flags. Bash alone: the
# `printf | cksum | cut` it replaces started three processes on every command, 13-14 ms of each here.
strata_text_hash() {
  local text="$1" i code hash=2166136261 LC_ALL=C # bytes, not characters, whatever the user's locale
  for ((i = 0; i < ${#text}; i++)); do
    printf -v code '%d' "'${text:i:1}"
    ((hash = ((hash ^ (code & 0xFF)) * 16777619) & 0xFFFFFFFF))
  done
  REPLY=$hash
}
