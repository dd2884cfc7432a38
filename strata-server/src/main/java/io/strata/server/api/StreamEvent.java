package io.strata.server.api;

import io.strata.core.build.BuildState;
import java.time.Instant;

/** The {@code data} of the Server-Sent Events of the build service, one record per event name. */
public final class StreamEvent {
    private StreamEvent() {}

    /** {@code event: state}, {@code id:} the index of the transition in the build's history (1 = NEW). */
    public record State(String buildId, int index, BuildState state, Instant at) {}

    /** {@code event: log}, {@code id:} the line's sequence number (1, 2, ...). */
    public record Log(String buildId, long sequence, Instant at, String step, String text) {}

    /** {@code event: end}: the build is finished (or was already); the stream closes after it. */
    public record End(String buildId, BuildState state, String failureReason) {}
}
