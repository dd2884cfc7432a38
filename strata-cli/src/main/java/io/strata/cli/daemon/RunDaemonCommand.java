package io.strata.cli.daemon;

import io.strata.cli.CliRunner;
import io.strata.cli.StartUpTraining;
import io.strata.cli.StrataEnvironment;
import io.strata.cli.build.LocalBuilds;
import io.strata.cli.options.DurationConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata daemon run --socket PATH}: the daemon itself, started by a local build for the builds after it
 * ({@link BuildDaemons#startForNextBuild}). Listed in the help like any command (the recorded command models carry
 * no hidden commands), though users rarely run it by hand.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a build daemon on a socket (a local build starts one; rarely run by hand).")
public final class RunDaemonCommand implements Callable<Integer> {
    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "The Unix socket to listen on.")
    Path socket;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30m",
            description = "Stop after this long without a command (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        StrataEnvironment environment = StrataEnvironment.of(spec);
        DaemonServer server = new DaemonServer(socket.toAbsolutePath(), idleTimeout,
                (args, out, err) -> {
                    try {
                        return CliRunner.run(environment, out, err, args.toArray(String[]::new));
                    } catch (RuntimeException bug) {
                        return CliRunner.report(bug, err); // as a command in a process of its own reports it
                    }
                },
                System.err, Clock.systemUTC());
        if (!server.bind()) {
            System.err.println("strata daemon: another daemon answers on " + socket + "; nothing to do");
            return 0;
        }
        // SIGINT, SIGTERM or SIGHUP (a `kill`, the machine shutting down) end the daemon as `strata daemon stop`
        // does: the socket removed, a running build cancelled (its client gets exit code 4), then the JVM's end. Not
        // a shutdown hook: it would race the store's own exit hook under the winding-down build (LocalBuilds).
        LocalBuilds.leaveSignalsToTheDaemon();
        for (String name : java.util.List.of("INT", "TERM", "HUP")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                System.err.println("strata daemon: SIG" + name + ", stopping");
                server.stop();
            });
        }
        StartUpTraining.running(); // a daemon runs until idle: its start-up recording is vouched for now
        server.serve();
        return 0;
    }
}
