package io.strata.core.service;

import io.strata.core.store.BuildSummary;
import java.util.List;
import java.util.Optional;

/** One page of a listing, newest first; {@code nextCursor} is empty on the last page. */
public record BuildPage(List<BuildSummary> builds, Optional<String> nextCursor) {
    public BuildPage {
        builds = List.copyOf(builds);
    }
}
