package io.strata.core.store;

import java.util.Objects;

/**
 * How a submitted build waits in the queue: the engine that runs it, the platform it builds for
 * (both counted against their concurrency limits), its priority (higher first) and how many times
 * it may run at most (a transient failure or a dead owner gives it another attempt).
 */
public record QueueEntry(String engine, String platform, int priority, int maxAttempts) {
    public QueueEntry {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(platform, "platform");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }
}
