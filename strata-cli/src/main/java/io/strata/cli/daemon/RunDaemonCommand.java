package io.strata.cli.daemon;

import io.strata.cli.CliRunner;
import io.strata.cli.StartUpTraining;
import io.strata.cli.StrataEnvironment;
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
                (args, out, err) -> CliRunner.run(environment, out, err, args.toArray(String[]::new)),
                System.err, Clock.systemUTC());
        if (!server.bind()) {
            System.err.println("strata daemon: another daemon answers on " + socket + "; nothing to do");
            return 0;
        }
        // SIGTERM (or the machine shutting down) ends the JVM: the socket goes with it, and a build is cancelled.
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "strata-daemon-stop"));
        StartUpTraining.running(); // a daemon runs until idle: its start-up recording is vouched for now
        server.serve();
        return 0;
    }
}
