package io.strata.registry;

import io.strata.core.StrataException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tries a registry operation again while it fails in a way that may go away by itself (see
 * {@link TransientFailure}), waiting 1, 2, 4, ... seconds (at most {@link #MAX_DELAY}) between
 * attempts, for at most {@code timeout} in all. When the time is up, the failure is one sentence
 * naming the registry, what was being done, how long it was tried and the last error.
 */
public final class RegistryRetry {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(20);

    /** Waits between attempts; tests pass one that only counts. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** One attempt of the operation. */
    @FunctionalInterface
    public interface Attempt<T, E extends StrataException> {
        T run() throws E, InterruptedException;
    }

    private final Duration timeout;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    public RegistryRetry(Duration timeout) {
        this(timeout, duration -> Thread.sleep(duration), System::nanoTime);
    }

    RegistryRetry(Duration timeout, Sleeper sleeper, LongSupplier nanoTime) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("retry timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** Tries once and never again. */
    public static RegistryRetry none() {
        return new RegistryRetry(Duration.ZERO);
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or {@code timeout} has passed.
     *
     * @param registry the registry host, for the message
     * @param action   what is being done, e.g. "pushing 127.0.0.1:5000/app:1"
     * @param progress told before each wait, so the build log says why nothing happens
     * @throws RegistryException    {@code REGISTRY_UNREACHABLE} when the time ran out on a transient failure
     * @throws E                    a failure retrying will not help
     * @throws InterruptedException cancelled while waiting
     */
    public <T, E extends StrataException> T call(String registry, String action, Attempt<T, E> attempt,
            Consumer<String> progress) throws E, RegistryException, InterruptedException {
        long start = nanoTime.getAsLong();
        Duration delay = FIRST_DELAY;
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.run();
            } catch (StrataException e) {
                Optional<String> cause = e instanceof TransientFailure failure ? failure.transientCause() : Optional.empty();
                if (cause.isEmpty()) {
                    throw e;
                }
                Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
                if (elapsed.plus(delay).compareTo(timeout) > 0) {
                    if (timeout.isZero()) {
                        throw e; // no retrying configured: the failure as it was
                    }
                    throw gaveUp(registry, action, attempts, elapsed, cause.get(), e);
                }
                progress.accept("registry " + registry + ": " + cause.get() + " while " + action + "; trying again in "
                        + delay.toSeconds() + "s (attempt " + (attempts + 1) + ")");
                sleeper.sleep(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    /** Waits {@code duration} as this retry waits between attempts (not at all in tests that pass a counting sleeper). */
    void pause(Duration duration) throws InterruptedException {
        sleeper.sleep(duration);
    }

    private static RegistryException gaveUp(String registry, String action, int attempts, Duration elapsed,
            String cause, StrataException last) {
        return new RegistryException(RegistryException.Reason.REGISTRY_UNREACHABLE,
                "registry " + registry + " kept failing while " + action + " (" + attempts + (attempts == 1 ? " attempt" : " attempts") + " over "
                        + elapsed.toSeconds() + "s); last error: " + cause,
                "check that the registry " + registry + " is running and healthy, then build again;"
                        + " strata_registry_retry_timeout sets how long Strata keeps trying",
                last);
    }
}
