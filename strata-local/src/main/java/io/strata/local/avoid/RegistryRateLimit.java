package io.strata.local.avoid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * At most N requests per minute to each registry: a token bucket per registry host, refilled
 * continuously, holding at most N. Autorebuild asks it before each look at a parent image, so a
 * registry hosting many parents is never asked more than it allows; what is refused waits for the
 * next round.
 */
final class RegistryRateLimit {
    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        Instant refilled;

        Bucket(double tokens, Instant refilled) {
            this.tokens = tokens;
            this.refilled = refilled;
        }
    }

    RegistryRateLimit(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a rate is at least 1 per minute, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes one request's allowance for {@code registry}; false when its minute's worth is used up. */
    synchronized boolean tryAcquire(String registry) {
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(registry, host -> new Bucket(perMinute, now));
        double minutes = Duration.between(bucket.refilled, now).toNanos() / 60e9;
        bucket.tokens = Math.min(perMinute, bucket.tokens + minutes * perMinute);
        bucket.refilled = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }
}
