package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.LogLine;
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
    private final LinkedBlockingQueue<BuildEvent> queue = new LinkedBlockingQueue<>();
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
        List<BuildEvent> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                BuildEvent first = queue.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                // Only close() stops the writer, after the queue is empty; an interrupt is not a reason to lose events.
            }
        }
    }

    private void write(List<BuildEvent> batch) {
        List<LogLine> lines = new ArrayList<>();
        for (BuildEvent event : batch) {
            if (event instanceof BuildEvent.LogEmitted log) {
                lines.add(log.line());
                continue;
            }
            flushLines(event.buildId(), lines);
            try {
                switch (event) {
                    case BuildEvent.StepFinished e -> store.recordStep(e.buildId(), e.timing());
                    case BuildEvent.SourceCheckedOut e -> store.recordCommit(e.buildId(), e.commitId());
                    case BuildEvent.ImagePushed e -> store.recordOutput(e.buildId(), e.output());
                    case BuildEvent.MetadataExported e -> store.recordKojiMetadata(e.buildId(), e.kojiMetadataJson());
                    case BuildEvent.LogEmitted e -> { }
                    case BuildEvent.StateChanged e -> { }
                    case BuildEvent.StepStarted e -> { }
                    // The same figures are in the log as lines; the record keeps no progress of its own.
                    case BuildEvent.Progress e -> { }
                }
            } catch (StrataException e) {
                warn(e);
            }
        }
        if (!batch.isEmpty()) {
            flushLines(batch.get(0).buildId(), lines);
        }
    }

    private void flushLines(io.strata.core.build.BuildId id, List<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        try {
            store.appendLog(id, List.copyOf(lines));
        } catch (StrataException e) {
            warn(e);
        }
        lines.clear();
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
        closed = true;
        Threads.joinUninterruptibly(writer);
    }
}
