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
 * A worker's log as the cluster serves it, into the build's record. It is handed the log's lines
 * with their positions: each line of a followed stream ({@link #lineAt}, {@link LogStream}), or the
 * whole log so far ({@link #offer}); it counts the lines it has seen ({@link #served}) and takes
 * only the next one, so a stream opened again after a drop (which starts at the first line again)
 * and the whole log read at the end add nothing twice. The first {@code alreadyRecorded}
 * lines are the record's already (a follower re-attached after a service restart) and are not
 * emitted; the emitted ones are numbered after {@code logAfter}, where the record's log ends.
 * {@code strata worker} prints {@code [step] text}; the step goes back into the line.
 */
final class LogPump {
    private static final Pattern STEP = Pattern.compile("^\\[([a-z0-9_]+)\\] (.*)$");

    private final BuildId id;
    private final long logAfter;
    private final long alreadyRecorded;
    private final BuildListener events;
    private final Clock clock;
    private long served;
    private long emitted;

    LogPump(BuildId id, long logAfter, long alreadyRecorded, BuildListener events, Clock clock) {
        this.id = id;
        this.logAfter = logAfter;
        this.alreadyRecorded = alreadyRecorded;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The line at {@code position} (from 1) of the log, without its newline; a line at or before the
     * ones seen already comes again (a stream opened anew, the whole log read at the end) and is
     * passed over.
     */
    synchronized void lineAt(long position, String text) {
        if (position != served + 1) {
            return;
        }
        served++;
        if (served <= alreadyRecorded) {
            return;
        }
        emitted++;
        Matcher m = STEP.matcher(text);
        var at = clock.instant();
        events.on(new BuildEvent.LogEmitted(id, at, new LogLine(logAfter + emitted, at,
                m.matches() ? m.group(1) : "worker", m.matches() ? m.group(2) : text)));
    }

    /** The whole log so far: the lines not seen yet go on. */
    synchronized void offer(String log) {
        List<String> lines = log.lines().toList();
        // The last line may still be written: take it only once a newline ends it.
        int complete = log.endsWith("\n") ? lines.size() : Math.max(0, lines.size() - 1);
        for (int i = (int) served; i < complete; i++) {
            lineAt(i + 1, lines.get(i));
        }
    }

    /** How many lines of the log were seen: a stream opened again skips as many. */
    synchronized long served() {
        return served;
    }

    synchronized List<String> tail(String log, int count) {
        List<String> lines = log.lines().toList();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
