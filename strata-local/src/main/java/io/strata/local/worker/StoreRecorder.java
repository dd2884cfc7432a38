package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.LogLine;
import io.strata.core.build.StepTiming;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.store.BuildStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes a build's events into the store on its own virtual thread: step timings, log lines (in
 * batches, as fast as they come), the commit, outputs and metadata. Two reasons for the thread:
 * a burst of builder output costs one insert per batch instead of one per line, and cancelling a
 * build (interrupting its thread) can never interrupt a database write half-way.
 *
 * <p>State changes are not recorded here: {@link LocalBuildService} makes them in the store itself
 * first (the store refuses illegal moves) and only then announces them. {@link #close()} waits
 * until everything received has been written.
 */
final class StoreRecorder implements BuildListener, AutoCloseable {
    private static final int MAX_BATCH = 500;

    private final BuildStore store;
    private final PrintStream diagnostics;
    /** Put after the last event by {@link #close()}: the writer stops once it has written what came before. */
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private boolean warned;

    StoreRecorder(BuildStore store, PrintStream diagnostics) {
        this.store = store;
        this.diagnostics = diagnostics;
        this.writer = Thread.ofVirtual().name("strata-store-recorder").start(this::drain);
    }

    @Override
    public void on(BuildEvent event) {
        if (!(event instanceof BuildEvent.StateChanged) && !(event instanceof BuildEvent.StepStarted)) {
            queue.add(event);
        }
    }

    private void drain() {
        List<Object> taken = new ArrayList<>();
        boolean ended = false;
        while (!ended) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() stops the writer, after the queue is empty; an interrupt is not a reason to lose events.
                continue;
            }
            queue.drainTo(taken, MAX_BATCH - 1);
            List<BuildEvent> batch = new ArrayList<>();
            for (Object item : taken) {
                if (item == END) {
                    ended = true;
                } else {
                    batch.add((BuildEvent) item);
                }
            }
            taken.clear();
            write(batch);
        }
    }

    /**
     * Log lines and step timings of the batch go to the store together, in one transaction (a
     * build's burst of steps costs one commit); the rare commit, output and metadata events are
     * written on their own, after what came before them.
     */
    private void write(List<BuildEvent> batch) {
        List<LogLine> lines = new ArrayList<>();
        List<StepTiming> steps = new ArrayList<>();
        for (BuildEvent event : batch) {
            switch (event) {
                case BuildEvent.LogEmitted log -> lines.add(log.line());
                case BuildEvent.StepFinished e -> steps.add(e.timing());
                // The same figures are in the log as lines; the record keeps no progress of its own,
                // and progress is frequent, so it does not flush the batch either.
                case BuildEvent.Progress e -> { }
                default -> {
                    flush(event.buildId(), lines, steps);
                    try {
                        switch (event) {
                            case BuildEvent.SourceCheckedOut e -> store.recordCommit(e.buildId(), e.commitId());
                            case BuildEvent.ImagePushed e -> store.recordOutput(e.buildId(), e.output());
                            case BuildEvent.MetadataExported e -> store.recordKojiMetadata(e.buildId(), e.kojiMetadataJson());
                            default -> { }
                        }
                    } catch (StrataException e) {
                        warn(e);
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            flush(batch.get(0).buildId(), lines, steps);
        }
    }

    private void flush(io.strata.core.build.BuildId id, List<LogLine> lines, List<StepTiming> steps) {
        if (lines.isEmpty() && steps.isEmpty()) {
            return;
        }
        try {
            store.record(id, List.copyOf(lines), List.copyOf(steps));
        } catch (StrataException e) {
            warn(e);
        }
        lines.clear();
        steps.clear();
    }

    private void warn(StrataException e) {
        if (!warned) {
            warned = true;
            diagnostics.println("strata: warning: could not record the build in the store: " + e.getMessage()
                    + " [" + e.reason() + "]; the build goes on");
        }
    }

    /** Waits until every event received so far is in the store. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.add(END);
        }
        Threads.joinUninterruptibly(writer);
    }
}
