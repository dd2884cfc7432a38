package io.strata.local.git;

import java.util.function.Consumer;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * Turns JGit's progress callbacks into whole lines ("Receiving objects: 40% (4/10)"), one per
 * task start, per 10% step and per task end, so a build log shows clone progress without
 * thousands of lines. Reports cancellation when the checking-out thread is interrupted.
 */
final class LineProgressMonitor implements ProgressMonitor {
    private static final int STEP_PERCENT = 10;

    private final Consumer<String> lines;
    private String task = "";
    private int total;
    private int done;
    private int lastReportedPercent;

    LineProgressMonitor(Consumer<String> lines) {
        this.lines = lines;
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
        lines.accept(title + (totalWork == UNKNOWN ? "" : " (" + totalWork + ")"));
    }

    @Override
    public void update(int completed) {
        done += completed;
        if (total > 0) {
            int percent = (int) (100L * done / total);
            if (percent >= lastReportedPercent + STEP_PERCENT && percent < 100) {
                lastReportedPercent = percent - percent % STEP_PERCENT;
                lines.accept(task + ": " + lastReportedPercent + "% (" + done + "/" + total + ")");
            }
        }
    }

    @Override
    public void endTask() {
        lines.accept(task + ": done" + (total > 0 ? " (" + done + "/" + total + ")" : ""));
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
