package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata build-logs ID}: a build's log; with --follow, until the build ends. A multi-platform
 * build's log holds every platform's lines, prefixed with the platform; --platform picks one.
 */
@Command(name = "build-logs", mixinStandardHelpOptions = true, description = "Print a build's log (--follow: until it ends).")
public final class BuildLogsCommand implements Callable<Integer> {
    private static final int PAGE = 1000;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions serverOptions;

    @Parameters(paramLabel = "ID", description = "The build id.")
    String id;

    @Option(names = "--follow", description = "Keep printing new lines until the build has ended.")
    boolean follow;

    @Option(names = "--json", description = "One JSON object per line: sequence, at, step, text.")
    boolean json;

    @Option(names = "--platform", paramLabel = "PLATFORM",
            description = "A multi-platform build: only this platform's worker log, without prefix (with --follow: until it ends).")
    String platform;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (ServiceHandle services = ServiceAccess.open(configOptions.load(spec.commandLine().getErr()).config(), serverOptions)) {
            BuildRecord record = ServiceAccess.find(services, id);
            BuildId buildId = record.id();
            PlatformLogs platforms = new PlatformLogs(services.builds(), ServiceAccess.localUser(), out, json);
            if (platform != null) {
                buildId = platforms.workerOf(buildId, platform, follow);
            } else if (record.isOrchestrator() || record.request().platforms().size() > 1) {
                // A multi-platform build: its own log and every platform's, each line prefixed.
                platforms.print(buildId, follow);
                out.flush();
                return 0;
            }
            if (follow) {
                // Until the build has ended and its whole log is printed; the service also reconciles
                // now and then, so a build whose process died ends rather than being followed forever.
                services.builds().followLogs(buildId, 0, ServiceAccess.localUser(), (build, line) -> {
                    print(out, line);
                    out.flush();
                    return true;
                });
            } else {
                long after = 0;
                List<LogLine> lines;
                do {
                    lines = services.builds().logs(buildId, after, PAGE, ServiceAccess.localUser());
                    for (LogLine line : lines) {
                        print(out, line);
                        after = line.sequence();
                    }
                } while (lines.size() == PAGE);
            }
            out.flush();
            return 0;
        }
    }

    private void print(PrintWriter out, LogLine line) {
        out.println(json ? RecordJson.writeCompact(line) : line.text());
    }
}
