package io.strata.core.service;

import io.strata.core.build.BuildState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters and paging for {@link BuildService#list}. Empty filters match everything; a non-admin
 * caller sees only their own builds whatever {@code user} says.
 *
 * @param createdAfter  builds created at or after this instant
 * @param createdBefore builds created before this instant
 * @param limit         page size, 1 to {@link #MAX_LIMIT} (reason {@code PAGE_LIMIT_INVALID} otherwise)
 * @param cursor        the {@code nextCursor} of the previous page; empty for the first page
 *                      (reason {@code PAGE_CURSOR_INVALID} for one the service did not hand out)
 */
public record BuildListQuery(Optional<BuildState> state, Optional<String> component, Optional<String> user,
        Optional<Instant> createdAfter, Optional<Instant> createdBefore, int limit, Optional<String> cursor) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 50;

    public BuildListQuery {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(createdAfter, "createdAfter");
        Objects.requireNonNull(createdBefore, "createdBefore");
        Objects.requireNonNull(cursor, "cursor");
    }

    public static BuildListQuery firstPage(int limit) {
        return new BuildListQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), limit, Optional.empty());
    }

    public BuildListQuery withCursor(Optional<String> next) {
        return new BuildListQuery(state, component, user, createdAfter, createdBefore, limit, next);
    }
}
