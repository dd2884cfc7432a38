package io.strata.core.build;

import java.time.Duration;
import java.time.Instant;

/** When one step ran and how it ended; kept per build so slow steps show up in the record. */
public record StepTiming(String step, Instant startedAt, Instant finishedAt, StepOutcome outcome) {
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
