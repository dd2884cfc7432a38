package io.strata.core.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import java.time.Instant;
import java.util.Optional;

/**
 * A build in the queue, PENDING (waiting, due at {@code notBefore}) or RUNNING (claimed).
 *
 * @param attempts     how many times it was claimed so far
 * @param fencingToken grows with every claim; only the holder of the current token may end or requeue it
 * @param claimedAt    when the current attempt was claimed (for its timeout); empty while PENDING
 */
public record QueuedBuild(BuildId id, BuildState state, QueueEntry entry, Instant enqueuedAt, Instant notBefore,
        int attempts, long fencingToken, Optional<Instant> claimedAt) {

    public boolean isDue(Instant now) {
        return state == BuildState.PENDING && !notBefore.isAfter(now);
    }
}
