package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.store.BuildStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata build-logs ID}: a build's log; with --follow, until the build ends. */
@Command(name = "build-logs", mixinStandardHelpOptions = true, description = "Print a build's log (--follow: until it ends).")
public final class BuildLogsCommand implements Callable<Integer> {
    private static final int PAGE = 1000;
    private static final long FOLLOW_POLL_MILLIS = 300;
    /** Every this many polls a follower also looks for orphaned builds: its own build's process may have died. */
    private static final int RECONCILE_EVERY = 10;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "ID", description = "The build id.")
    String id;

    @Option(names = "--follow", description = "Keep printing new lines until the build has ended.")
    boolean follow;

    @Option(names = "--json", description = "One JSON object per line: sequence, at, step, text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (BuildStore store = StoreAccess.open(configOptions.load(spec.commandLine().getErr()).config())) {
            BuildId buildId = StoreAccess.find(store, id).id();
            long after = 0;
            for (int poll = 1; ; poll++) {
                // Read the state before the lines: lines written before the build ended are then all visible.
                boolean ended = StoreAccess.find(store, id).state().isTerminal();
                List<LogLine> lines;
                do {
                    lines = store.logs(buildId, after, PAGE);
                    for (LogLine line : lines) {
                        out.println(json ? RecordJson.writeCompact(line) : line.text());
                        after = line.sequence();
                    }
                } while (lines.size() == PAGE);
                out.flush();
                if (!follow || ended) {
                    return 0;
                }
                Thread.sleep(FOLLOW_POLL_MILLIS);
                if (poll % RECONCILE_EVERY == 0) {
                    StoreAccess.reconcile(store);
                }
            }
        }
    }
}
