package io.strata.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The process that runs a build: an id unique to that process, the host it runs on, its process
 * id there and when it started (a process id alone can be reused after the owner died).
 */
public record LeaseOwner(String id, String host, long pid, Optional<Instant> startedAt) {
    public LeaseOwner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
