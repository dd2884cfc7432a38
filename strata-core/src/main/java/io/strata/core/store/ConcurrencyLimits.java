package io.strata.core.store;

import java.util.Map;

/**
 * How many queued builds may run at once: per engine (over every process sharing the store) and
 * per platform (over every engine). A platform missing from {@code perPlatform} has no limit of its own.
 */
public record ConcurrencyLimits(int perEngine, Map<String, Integer> perPlatform) {
    public ConcurrencyLimits {
        if (perEngine < 1) {
            throw new IllegalArgumentException("perEngine must be at least 1, was " + perEngine);
        }
        perPlatform = Map.copyOf(perPlatform);
    }
}
