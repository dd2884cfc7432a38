package io.strata.core.store;

import io.strata.core.build.BuildState;
import java.util.Optional;

/** Filters for listing builds; empty fields match everything. */
public record BuildQuery(Optional<String> component, Optional<BuildState> state, int limit) {
    public static BuildQuery all(int limit) {
        return new BuildQuery(Optional.empty(), Optional.empty(), limit);
    }
}
