package io.strata.kube.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogPumpTest {
    @Test
    void emitsEachCompleteLineOnceNumberedAfterTheEarlierLogWithItsStep() {
        List<BuildEvent.LogEmitted> lines = new ArrayList<>();
        LogPump pump = new LogPump(new BuildId("20261122-004512-3f9a1c"), 40, 0, e -> lines.add((BuildEvent.LogEmitted) e), Clock.systemUTC());

        pump.offer("[check_out_source] checked out\n[buildah_build] STEP 1/2");
        pump.offer("[check_out_source] checked out\n[buildah_build] STEP 1/2: FROM x\nplain line\n");

        assertThat(lines).extracting(e -> e.line().sequence() + " " + e.line().step() + " " + e.line().text())
                .containsExactly("41 check_out_source checked out", "42 buildah_build STEP 1/2: FROM x", "43 worker plain line");
    }

    @Test
    void aReattachedPumpSkipsTheLinesTheRecordHasAndAReopenedStreamAddsNothingTwice() {
        List<BuildEvent.LogEmitted> lines = new ArrayList<>();
        // The record holds the pod's first two lines, then a note of the queue: its log ends at 43.
        LogPump pump = new LogPump(new BuildId("20261122-004512-3f9a1c"), 43, 2, e -> lines.add((BuildEvent.LogEmitted) e), Clock.systemUTC());

        pump.lineAt(1, "one");
        pump.lineAt(2, "two");
        pump.lineAt(3, "[buildah_build] three");
        pump.lineAt(1, "one"); // a stream opened again starts at the first line
        pump.lineAt(2, "two");
        pump.offer("one\ntwo\n[buildah_build] three\nfour\n");
        pump.lineAt(4, "four");

        assertThat(lines).extracting(e -> e.line().sequence() + " " + e.line().step() + " " + e.line().text())
                .containsExactly("44 buildah_build three", "45 worker four");
        assertThat(pump.served()).isEqualTo(4);
    }
}
