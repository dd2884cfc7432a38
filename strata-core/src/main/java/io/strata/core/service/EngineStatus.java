package io.strata.core.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One engine or platform as {@code strata engines list} shows it.
 *
 * @param kind        {@code engine} or {@code platform}
 * @param platforms   an engine's platforms (those it builds for and those queued for it); a platform's own name
 * @param concurrency builds that may run at once (strata_concurrency, max_concurrent_builds); empty: no own limit
 * @param running     queued builds RUNNING now, over the fleet
 * @param queued      builds waiting PENDING
 * @param drainedAt   when it was drained; empty while in rotation
 */
public record EngineStatus(String name, String kind, List<String> platforms, Optional<Integer> concurrency, int running,
        int queued, boolean drained, Optional<Instant> drainedAt, Optional<String> drainedBy) {
    public static final String ENGINE = "engine";
    public static final String PLATFORM = "platform";

    public EngineStatus {
        platforms = List.copyOf(platforms);
    }
}
