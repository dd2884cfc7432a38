package io.strata.core.build;

import java.time.Instant;

/** One recorded change of state, with when it happened. */
public record StateTransition(BuildState state, Instant at) {}
