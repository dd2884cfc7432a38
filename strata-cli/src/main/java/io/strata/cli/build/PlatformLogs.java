package io.strata.cli.build;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import io.strata.core.build.WorkerBuild;
import io.strata.core.service.BuildService;
import io.strata.core.service.Caller;
import io.strata.core.service.ServiceException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The log of a multi-platform build: its own lines, then each platform's worker's, every line
 * prefixed with the platform ({@code [aarch64] ...}; JSON lines get a {@code platform} field). When
 * followed, the workers are read as they write, until the build has ended and every log is printed.
 */
final class PlatformLogs {
    /** The reason of --platform naming a platform the build does not build. */
    static final String PLATFORM_NOT_IN_BUILD = "PLATFORM_NOT_IN_BUILD";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int PAGE = 1000;
    private static final String ORCHESTRATOR = "orchestrator";

    /** A log line of a multi-platform build, with the platform it came from ({@value #ORCHESTRATOR} for the build's own). */
    record PlatformLine(String platform, long sequence, Instant at, String step, String text) {}

    private final BuildService builds;
    private final Caller caller;
    private final PrintWriter out;
    private final boolean json;
    private final Map<BuildId, Long> printed = new HashMap<>();

    PlatformLogs(BuildService builds, Caller caller, PrintWriter out, boolean json) {
        this.builds = builds;
        this.caller = caller;
        this.out = out;
        this.json = json;
    }

    /** Prints every log of the build (once, or until it has ended when {@code follow}). */
    void print(BuildId id, boolean follow) throws StrataException, InterruptedException {
        while (true) {
            // The state is read first: a build seen ended before its logs were read has all of them written.
            BuildRecord record = builds.get(id, caller);
            drain(id, ORCHESTRATOR);
            for (WorkerBuild worker : record.workers()) {
                drain(worker.id(), worker.platform());
            }
            if (!follow || record.state().isTerminal()) {
                return;
            }
            out.flush();
            Thread.sleep(POLL);
        }
    }

    /**
     * The worker build of {@code platform}: waits for it to be started when {@code follow} and the
     * build still runs. A build of one platform is its own worker.
     */
    BuildId workerOf(BuildId id, String platform, boolean follow) throws StrataException, InterruptedException {
        while (true) {
            BuildRecord record = builds.get(id, caller);
            Optional<BuildId> worker = record.workers().stream().filter(w -> w.platform().equals(platform))
                    .map(WorkerBuild::id).findFirst();
            if (worker.isPresent()) {
                return worker.get();
            }
            if (!record.request().platforms().contains(platform)) {
                throw new ServiceException(PLATFORM_NOT_IN_BUILD, "build " + id + " builds "
                        + String.join(", ", record.request().platforms()) + ", not " + platform,
                        "pass one of those to --platform, or leave it out for every platform's log");
            }
            if (!record.isOrchestrator() && record.request().platforms().size() == 1) {
                return id;
            }
            if (!follow || record.state().isTerminal()) {
                throw new ServiceException(PLATFORM_NOT_IN_BUILD, "build " + id + " has no worker build of " + platform
                        + " (it ended " + record.state() + " before the platform started)",
                        "see `strata get-build " + id + "` for why");
            }
            Thread.sleep(POLL);
        }
    }

    private void drain(BuildId id, String platform) throws StrataException {
        long after = printed.getOrDefault(id, 0L);
        List<LogLine> lines;
        do {
            lines = builds.logs(id, after, PAGE, caller);
            for (LogLine line : lines) {
                out.println(json ? RecordJson.writeCompact(new PlatformLine(platform, line.sequence(), line.at(),
                        line.step(), line.text())) : "[" + platform + "] " + line.text());
                after = line.sequence();
            }
        } while (lines.size() == PAGE);
        printed.put(id, after);
    }
}
