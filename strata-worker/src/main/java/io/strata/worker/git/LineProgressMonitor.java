package io.strata.worker.git;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * Turns JGit's progress callbacks into whole lines ("Receiving objects: 40% (4/10), 3200/s"), one
 * per task start, per 10% step at most once per interval, and per task end with the task's rate,
 * so a build log shows fetch progress without thousands of lines. Reports cancellation when the
 * checking-out thread is interrupted.
 */
final class LineProgressMonitor implements ProgressMonitor {
    private static final int STEP_PERCENT = 10;

    private final Consumer<String> lines;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private String task = "";
    private int total;
    private int done;
    private int lastReportedPercent;
    private long taskStartedAt;
    private long lastLineAt;

    LineProgressMonitor(Consumer<String> lines, LongSupplier nanoClock, Duration interval) {
        this.lines = lines;
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
    }

    /** Progress steps at most once a second. */
    LineProgressMonitor(Consumer<String> lines) {
        this(lines, System::nanoTime, Duration.ofSeconds(1));
    }

    @Override
    public void start(int totalTasks) {
        // task count is not interesting in a log
    }

    @Override
    public void beginTask(String title, int totalWork) {
        task = title;
        total = totalWork;
        done = 0;
        lastReportedPercent = 0;
        taskStartedAt = nanoClock.getAsLong();
        lastLineAt = taskStartedAt;
        lines.accept(title + (totalWork == UNKNOWN ? "" : " (" + totalWork + ")"));
    }

    @Override
    public void update(int completed) {
        done += completed;
        if (total > 0) {
            int percent = (int) (100L * done / total);
            long now = nanoClock.getAsLong();
            if (percent >= lastReportedPercent + STEP_PERCENT && percent < 100 && now - lastLineAt >= intervalNanos) {
                lastReportedPercent = percent - percent % STEP_PERCENT;
                lastLineAt = now;
                lines.accept(task + ": " + lastReportedPercent + "% (" + done + "/" + total + ")" + rate(now));
            }
        }
    }

    @Override
    public void endTask() {
        lines.accept(task + ": done" + (total > 0 ? " (" + done + "/" + total + ")" : "") + rate(nanoClock.getAsLong()));
    }

    /** ", 3200/s" once the task has run a measurable time; nothing for instant tasks. */
    private String rate(long now) {
        long elapsed = now - taskStartedAt;
        if (elapsed < 1_000_000 || done == 0) {
            return "";
        }
        return String.format(Locale.ROOT, ", %.0f/s", done / (elapsed / 1e9));
    }

    @Override
    public boolean isCancelled() {
        return Thread.currentThread().isInterrupted();
    }

    @Override
    public void showDuration(boolean enabled) {
        // durations would make logs differ between runs of the same build
    }
}
