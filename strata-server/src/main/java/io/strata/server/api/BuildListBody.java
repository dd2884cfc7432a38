package io.strata.server.api;

import io.strata.core.store.BuildSummary;
import java.util.List;
import java.util.Optional;

/** The answer of {@code GET /api/v1/builds}: one page, newest first; {@code next_cursor} null on the last. */
public record BuildListBody(List<BuildSummary> builds, Optional<String> nextCursor) {
    public BuildListBody {
        builds = List.copyOf(builds);
    }
}
