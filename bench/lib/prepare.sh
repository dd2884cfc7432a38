# Sourced by the bench/*.sh scripts: the preamble they share. Sets JAVA_HOME to the newest JDK,
# installs the test packages when the benchmark runs buildah (bench_prepare test-deps), moves to the
# project root and packages strata-bench with what it depends on. Expects $here (the project root).
bench_prepare() {
  . "$here/scripts/lib/java-home.sh"
  strata_find_java_home || exit 2
  if [ "${1:-}" = test-deps ]; then
    "$here/scripts/install-deps" test
  fi
  cd "$here"
  ./mvnw -B -q -pl strata-bench -am package -DskipTests
}
