package io.strata.local.avoid;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The per-registry allowance of autorebuild's registry requests, on a clock the test moves. */
class RegistryRateLimitTest {
    /** A clock that stands still until the test moves it. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void eachRegistryGetsItsMinutesWorthAndItRefillsWithTime() {
        HandClock clock = new HandClock();
        RegistryRateLimit limit = new RegistryRateLimit(3, clock);

        assertThat(limit.tryAcquire("a:5000")).isTrue();
        assertThat(limit.tryAcquire("a:5000")).isTrue();
        assertThat(limit.tryAcquire("a:5000")).isTrue();
        assertThat(limit.tryAcquire("a:5000")).as("a's minute is used up").isFalse();
        assertThat(limit.tryAcquire("b:5000")).as("another registry has its own").isTrue();

        clock.now = clock.now.plus(Duration.ofSeconds(20));
        assertThat(limit.tryAcquire("a:5000")).as("a third of a minute: one more").isTrue();
        assertThat(limit.tryAcquire("a:5000")).isFalse();

        clock.now = clock.now.plus(Duration.ofHours(1));
        assertThat(limit.tryAcquire("a:5000")).isTrue();
        assertThat(limit.tryAcquire("a:5000")).isTrue();
        assertThat(limit.tryAcquire("a:5000")).isTrue();
        assertThat(limit.tryAcquire("a:5000")).as("never more than a minute's worth saved up").isFalse();
    }
}
