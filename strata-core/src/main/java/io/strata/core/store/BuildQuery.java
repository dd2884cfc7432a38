package io.strata.core.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import java.time.Instant;
import java.util.Optional;

/**
 * Filters for listing builds; empty fields match everything.
 *
 * @param user          builds whose request names this user
 * @param createdAfter  created at or after
 * @param createdBefore created before
 * @param olderThan     keyset paging: only builds listed after this one (newest first)
 */
public record BuildQuery(Optional<String> component, Optional<BuildState> state, Optional<String> user,
        Optional<Instant> createdAfter, Optional<Instant> createdBefore, Optional<BuildId> olderThan, int limit) {

    public BuildQuery(Optional<String> component, Optional<BuildState> state, int limit) {
        this(component, state, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public static BuildQuery all(int limit) {
        return new BuildQuery(Optional.empty(), Optional.empty(), limit);
    }
}
