package io.strata.cli.daemon;

import picocli.CommandLine.Command;

/**
 * {@code strata daemon status|stop}: the user's build daemons (docs/builds.md, "The build daemon"). A local
 * {@code strata build} started through the launcher starts one when it ends, and the builds after it hand their
 * command line to it instead of starting a JVM of their own; {@code STRATA_DAEMON=off} turns that off.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "The build daemons that keep a JVM warm between local builds: status and stop.",
        subcommands = {DaemonStatusCommand.class, StopDaemonsCommand.class, RunDaemonCommand.class})
public final class DaemonCommand {}
