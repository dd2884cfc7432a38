package io.strata.kube.engine;

import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's log as the cluster serves it, into the build's record: each time it is handed the
 * whole log so far it emits the lines not seen yet, numbered after the log's end before this
 * attempt. {@code strata worker} prints {@code [step] text}; the step goes back into the line.
 * (The log is fetched whole and polled rather than followed: the mock API server has no streaming
 * log, and a worker's log is small next to its image.)
 */
final class LogPump {
    private static final Pattern STEP = Pattern.compile("^\\[([a-z0-9_]+)\\] (.*)$");

    private final BuildId id;
    private final long logAfter;
    private final BuildListener events;
    private final Clock clock;
    private int seen;

    LogPump(BuildId id, long logAfter, BuildListener events, Clock clock) {
        this.id = id;
        this.logAfter = logAfter;
        this.events = events;
        this.clock = clock;
    }

    synchronized void offer(String log) {
        List<String> lines = log.lines().toList();
        // The last line may still be written: take it only once a newline ends it.
        int complete = log.endsWith("\n") ? lines.size() : Math.max(0, lines.size() - 1);
        for (; seen < complete; seen++) {
            String line = lines.get(seen);
            Matcher m = STEP.matcher(line);
            var at = clock.instant();
            events.on(new BuildEvent.LogEmitted(id, at, new LogLine(logAfter + seen + 1, at,
                    m.matches() ? m.group(1) : "worker", m.matches() ? m.group(2) : line)));
        }
    }

    synchronized List<String> tail(String log, int count) {
        List<String> lines = log.lines().toList();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
