package io.strata.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuildEventTest {
    static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void withBuildIdChangesOnlyTheBuildIdOfEveryKindOfEvent() {
        BuildId old = BuildId.next(java.time.Clock.systemUTC());
        BuildId fresh = BuildId.next(java.time.Clock.systemUTC());
        List<BuildEvent> events = List.of(
                new BuildEvent.StateChanged(old, AT, BuildState.RUNNING, Optional.empty()),
                new BuildEvent.StepStarted(old, AT, "build", 2, 5),
                new BuildEvent.LogEmitted(old, AT, new LogLine(7, AT, "build", "a line")),
                new BuildEvent.SourceCheckedOut(old, AT, "abc123"),
                new BuildEvent.MetadataExported(old, AT, "{}"),
                new BuildEvent.Progress(old, AT, "push", 1, 2, 300, 4.5));
        for (BuildEvent event : events) {
            BuildEvent moved = event.withBuildId(fresh);
            assertThat(moved.buildId()).isEqualTo(fresh);
            assertThat(moved.getClass()).isEqualTo(event.getClass());
            assertThat(moved.withBuildId(old)).as("all but the id kept").isEqualTo(event);
        }
    }
}
