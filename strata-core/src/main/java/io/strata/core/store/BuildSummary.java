package io.strata.core.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import java.time.Instant;
import java.util.Optional;

/** One row of a build listing. */
public record BuildSummary(BuildId id, String component, String gitRef, BuildState state, Instant createdAt,
        Optional<Instant> finishedAt, Optional<String> failureReason, Optional<String> pullspec) {}
