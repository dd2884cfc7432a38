#!/bin/sh
# Strata's launcher inside its own image (deploy/Containerfile): the bundled Java runtime, the CLI jar.
exec /opt/strata/jre/bin/java -XX:TieredStopAtLevel=1 -jar /opt/strata/strata-cli.jar "$@"
