package io.strata.cli.daemon;

import io.strata.cli.StrataEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata daemon status}: each daemon's pid, socket, directory, uptime, commands served and idle time. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the build daemons of this user.")
public final class DaemonStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path directory = BuildDaemons.directory(StrataEnvironment.of(spec));
        List<Path> sockets = BuildDaemons.sockets(directory);
        int shown = 0;
        for (Path socket : sockets) {
            Optional<String> status = BuildDaemons.ask(socket, DaemonWire.STATUS);
            if (status.isPresent()) {
                out.print(shown++ == 0 ? "" : "\n");
                out.print(status.get());
            } else {
                BuildDaemons.removeIfStale(socket);
            }
        }
        if (shown == 0) {
            out.println("no build daemon is running (" + directory + "); a local `strata build` starts one"
                    + " unless STRATA_DAEMON=off");
        }
        out.flush();
        return 0;
    }
}
