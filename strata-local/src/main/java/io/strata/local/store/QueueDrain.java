package io.strata.local.store;

import java.time.Instant;

/**
 * An engine or a platform taken out of rotation: its PENDING builds wait, its RUNNING ones finish.
 *
 * @param scope {@link #ENGINE} or {@link #PLATFORM}
 */
public record QueueDrain(String scope, String name, Instant drainedAt, String drainedBy) {
    public static final String ENGINE = QueueSlots.ENGINE;
    public static final String PLATFORM = QueueSlots.PLATFORM;
}
