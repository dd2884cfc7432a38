package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.junit.jupiter.api.Test;

class LineProgressMonitorTest {
    /** A clock that stands still unless a test moves it. */
    private final AtomicLong nanos = new AtomicLong();

    private LineProgressMonitor monitor(List<String> lines, Duration interval) {
        return new LineProgressMonitor(lines::add, nanos::get, interval);
    }

    @Test
    void reportsTaskStartTenPercentStepsAndEnd() {
        List<String> lines = new ArrayList<>();
        LineProgressMonitor monitor = monitor(lines, Duration.ZERO);

        monitor.start(2);
        monitor.beginTask("Receiving objects", 20);
        for (int i = 0; i < 20; i++) {
            monitor.update(1);
        }
        monitor.endTask();
        monitor.beginTask("Updating references", ProgressMonitor.UNKNOWN);
        monitor.update(3);
        monitor.endTask();

        assertThat(lines).containsExactly(
                "Receiving objects (20)",
                "Receiving objects: 10% (2/20)",
                "Receiving objects: 20% (4/20)",
                "Receiving objects: 30% (6/20)",
                "Receiving objects: 40% (8/20)",
                "Receiving objects: 50% (10/20)",
                "Receiving objects: 60% (12/20)",
                "Receiving objects: 70% (14/20)",
                "Receiving objects: 80% (16/20)",
                "Receiving objects: 90% (18/20)",
                "Receiving objects: done (20/20)",
                "Updating references",
                "Updating references: done");
    }

    @Test
    void bigJumpsReportOnlyTheStepReached() {
        List<String> lines = new ArrayList<>();
        LineProgressMonitor monitor = monitor(lines, Duration.ZERO);

        monitor.beginTask("Resolving deltas", 100);
        monitor.update(37);
        monitor.update(2);
        monitor.update(61);
        monitor.endTask();

        assertThat(lines).containsExactly("Resolving deltas (100)", "Resolving deltas: 30% (37/100)",
                "Resolving deltas: done (100/100)");
    }

    @Test
    void stepsComeAtMostOncePerIntervalAndTheEndSaysTheRate() {
        List<String> lines = new ArrayList<>();
        LineProgressMonitor monitor = monitor(lines, Duration.ofSeconds(1));

        monitor.beginTask("Receiving objects", 1000);
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(4_000_000); // 4 ms per object: 4 s in all, 250 objects/s
            monitor.update(1);
        }
        monitor.endTask();

        assertThat(lines).containsExactly(
                "Receiving objects (1000)",
                "Receiving objects: 20% (250/1000), 250/s",
                "Receiving objects: 50% (500/1000), 250/s",
                "Receiving objects: 70% (750/1000), 250/s",
                "Receiving objects: done (1000/1000), 250/s");
    }

    @Test
    void cancelledWhenTheThreadIsInterrupted() {
        LineProgressMonitor monitor = new LineProgressMonitor(line -> { });
        assertThat(monitor.isCancelled()).isFalse();

        Thread.currentThread().interrupt();
        try {
            assertThat(monitor.isCancelled()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
