package io.strata.local.ops;

import io.strata.core.StrataException;
import io.strata.core.config.ConfigKey;
import io.strata.core.config.Configuration;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code strata serve} pruning on a schedule: at start and then every {@code strata_prune_interval},
 * finished builds older than {@code strata_prune_keep} are pruned ({@link BuildPruner}) and what was
 * freed is one line of the service's log. In a fleet every member prunes: the store's deletes are
 * transactions (a build is pruned once), and each member cleans its own workspaces and images.
 */
public final class PruneSchedule implements AutoCloseable {

    /** @param interval zero: never */
    public record Settings(Duration interval, Duration keep) {
        public static Settings from(Configuration config) throws StrataException {
            String interval = value(config, ConfigKey.STRATA_PRUNE_INTERVAL);
            return new Settings("0".equals(interval) ? Duration.ZERO
                    : OperatorDuration.parse(interval, ConfigKey.STRATA_PRUNE_INTERVAL.key()),
                    OperatorDuration.parse(value(config, ConfigKey.STRATA_PRUNE_KEEP), ConfigKey.STRATA_PRUNE_KEEP.key()));
        }

        private static String value(Configuration config, ConfigKey key) {
            return config.raw(key.key()).or(key::defaultValue).orElseThrow().strip();
        }
    }

    private final Thread thread;

    private PruneSchedule(Thread thread) {
        this.thread = thread;
    }

    /** Starts pruning on a virtual thread; empty when the interval is zero. */
    public static Optional<PruneSchedule> start(BuildPruner pruner, Settings settings, PrintStream log) {
        if (settings.interval().isZero()) {
            return Optional.empty();
        }
        Thread thread = Thread.ofVirtual().name("strata-prune").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    log.println("strata serve: " + pruner.prune(settings.keep()).summary());
                } catch (StrataException | RuntimeException e) {
                    log.println("strata serve: warning: the scheduled prune failed: " + e.getMessage()
                            + "; it runs again in " + settings.interval());
                }
                try {
                    Thread.sleep(settings.interval());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        });
        return Optional.of(new PruneSchedule(thread));
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
