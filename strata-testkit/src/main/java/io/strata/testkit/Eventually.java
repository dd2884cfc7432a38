package io.strata.testkit;

import java.util.function.Supplier;

/**
 * Waits for something a test started to get somewhere (a controller's reconcile, a build's clean-up after
 * its last state). The bound only guards against a hang; no test asserts how long anything took.
 */
public final class Eventually {
    private static final long HANG_MILLIS = 120_000;

    private Eventually() {
    }

    public static <T> T until(String what, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long end = System.currentTimeMillis() + HANG_MILLIS;
        T last = null;
        while (System.currentTimeMillis() < end) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException ignored) {
                // the object may not exist yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("never got " + what + "; last seen: " + last);
    }

    public static void until(String what, java.util.function.BooleanSupplier condition) {
        until(what, condition::getAsBoolean, Boolean::booleanValue);
    }
}
