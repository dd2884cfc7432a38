#!/bin/sh
# Strata's launcher inside its own image (deploy/Containerfile): the bundled Java runtime, the CLI jar.
# The JIT flags are scripts/lib/jit-flags.sh's (this /bin/sh cannot source that bash array; LauncherScriptsTest
# holds the two equal).
exec /opt/strata/jre/bin/java -XX:TieredStopAtLevel=1 -jar /opt/strata/strata-cli.jar "$@"
