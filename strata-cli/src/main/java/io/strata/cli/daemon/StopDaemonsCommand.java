package io.strata.cli.daemon;

import io.strata.cli.StrataEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata daemon stop}: asks every daemon of this user to stop, cancelling a build one is running,
 * and waits for their processes to end.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the build daemons of this user (a build one is running is cancelled).")
public final class StopDaemonsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        int stopped = 0;
        for (Path socket : BuildDaemons.sockets(BuildDaemons.directory(StrataEnvironment.of(spec)))) {
            Optional<String> status = BuildDaemons.ask(socket, DaemonWire.STATUS);
            Optional<String> answer = BuildDaemons.ask(socket, DaemonWire.STOP);
            if (answer.isEmpty()) {
                BuildDaemons.removeIfStale(socket);
                continue;
            }
            out.println(answer.get());
            out.flush();
            stopped++;
            Optional<ProcessHandle> process = status.flatMap(StopDaemonsCommand::pid).flatMap(ProcessHandle::of);
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    out.println("the daemon " + process.get().pid() + " has not ended yet; it will once its build is cancelled");
                }
            }
        }
        if (stopped == 0) {
            out.println("no build daemon is running");
        }
        out.flush();
        return 0;
    }

    private static Optional<Long> pid(String status) {
        return status.lines().filter(line -> line.startsWith("pid ")).findFirst()
                .map(line -> Long.parseLong(line.substring(4).strip()));
    }
}
