package io.strata.server.ui;

import io.javalin.http.Context;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildService;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.core.store.BuildSummary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live parts of the pages, as Server-Sent Events the page's script follows: the builds list
 * ({@code row} and {@code gone}) and a build page ({@code live} sections and {@code log} lines, then
 * {@code end}). Rows and sections are rendered by the same code as the pages; log lines go as data
 * and the script adds them as text.
 */
final class UiFeeds {
    static final Duration LIST_INTERVAL = Duration.ofSeconds(1);
    static final Duration BUILD_INTERVAL = Duration.ofMillis(500);
    static final int LOG_BATCH = 1000;

    private final BuildService service;
    private final Clock clock;
    /** Set when the server closes: every open stream ends at its next tick instead of at its next failed write. */
    private final AtomicBoolean closing = new AtomicBoolean();

    UiFeeds(BuildService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** Rows of the list with these filters that are new or changed ({@code row}), and those that left it ({@code gone}). */
    void list(Context ctx, Viewer viewer, BuildListQuery query) throws Exception {
        service.list(query, viewer.caller()); // a refusal (bad cursor) answers before the stream starts
        Map<String, BuildSummary> seen = new HashMap<>();
        PollingStream.serve(ctx, LIST_INTERVAL, closing::get, stream -> {
            Set<String> present = new HashSet<>();
            for (BuildSummary summary : service.list(query, viewer.caller()).builds()) {
                String id = summary.id().value();
                present.add(id);
                if (!summary.equals(seen.get(id))) {
                    Optional<BuildRecord> record = readable(summary.id(), viewer);
                    if (record.isPresent()) {
                        stream.send("row", "", Map.of("id", id, "html", ListPage.row(BuildView.of(record.get()), clock.instant())));
                        seen.put(id, summary);
                    }
                }
            }
            for (String gone : Set.copyOf(seen.keySet())) {
                if (!present.contains(gone)) {
                    stream.send("gone", "", Map.of("id", gone));
                    seen.remove(gone);
                }
            }
            return true;
        });
    }

    private Optional<BuildRecord> readable(BuildId id, Viewer viewer) throws StrataException {
        try {
            return Optional.of(service.get(id, viewer.caller()));
        } catch (ServiceException e) {
            if (e.reason().equals(ServiceReasons.BUILD_NOT_FOUND)) {
                return Optional.empty(); // pruned between the listing and this read
            }
            throw e;
        }
    }

    void close() {
        closing.set(true);
    }

    /**
     * What a rendering of the live section is, short: the page names the one it shows ({@code seen}),
     * so the stream sends nothing until it differs and the browser keeps the elements it has.
     */
    static String version(String state, String html) {
        try {
            byte[] shown = (state + "\n" + html).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(shown), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * A build page's one stream: its live section whenever it differs from the one last shown
     * ({@code live}), the new lines of each of its logs ({@code log}, routed by the log's build id),
     * then {@code end} once the build has ended and every log is drained. One connection per page,
     * however many platforms: browsers allow six per server over HTTP/1.1.
     */
    void build(Context ctx, Viewer viewer, BuildId id, String seen, LogCursors cursors) throws Exception {
        BuildView first = BuildView.of(service.get(id, viewer.caller()));
        Map<String, Long> after = new LinkedHashMap<>();
        for (BuildView.Worker worker : first.workers()) {
            after.put(worker.logBuildId(), cursors.after().getOrDefault(worker.logBuildId(), 0L));
        }
        String[] last = {seen};
        RunningSteps running = new RunningSteps();
        PollingStream.serve(ctx, BUILD_INTERVAL, closing::get, stream -> {
            BuildView build = BuildView.of(service.get(id, viewer.caller()));
            String html = LiveSection.render(build, viewer, running.update(service, viewer.caller(), build), clock.instant());
            String version = version(build.state(), html);
            if (!version.equals(last[0])) {
                stream.send("live", "", Map.of("state", build.state(), "html", html));
                last[0] = version;
            }
            // Ended first, lines second: the store has every line of a build before its end state.
            boolean drained = true;
            for (Map.Entry<String, Long> log : after.entrySet()) {
                List<LogLine> lines = service.logs(new BuildId(log.getKey()), log.getValue(), LOG_BATCH, viewer.caller());
                for (LogLine line : lines) {
                    log.setValue(line.sequence());
                    if (!stream.send("log", new LogCursors(after).text(), Map.of("log", log.getKey(), "seq", line.sequence(),
                            "step", line.step(), "text", line.text()))) {
                        return false;
                    }
                }
                drained &= lines.isEmpty();
            }
            if (build.terminal() && drained) {
                stream.send("end", "", Map.of("state", build.state()));
                return false;
            }
            return true;
        });
    }
}
