package io.strata.worker.network;

import io.strata.core.build.BuildId;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Removes build networks off the build's critical path. Once {@code buildah bud} has returned,
 * nothing uses the build's namespace any more, yet removing it took 60-70 ms of the small-build
 * benchmark's buildah_build step (iptables-save and -restore, and {@code ip link del}, which waits
 * for the kernel's RCU grace periods; {@link BuildNetwork#close} now runs the links' removal beside the
 * rules', 25-37 ms): buildah_build hands the network over here and tag_and_push,
 * whose push does not need it, waits for the removal at its end, so the build still ends with its
 * network gone. A shutdown hook waits for removals still running, so a CLI that exits right after
 * a build (or is stopped) does not leave a namespace behind either.
 */
public final class NetworkRemovals {
    /** How long the JVM's exit waits for removals still running; they take well under a second. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    private final ConcurrentMap<BuildId, Thread> running = new ConcurrentHashMap<>();
    private volatile boolean hooked;

    /** Removes {@code network}, which belongs to build {@code id}, on a thread of its own. */
    public void removeInBackground(BuildId id, BuildNetwork network) {
        removeWhenMade(id, java.util.concurrent.CompletableFuture.completedFuture(network));
    }

    /**
     * Removes build {@code id}'s network once {@code making} has made it, on a thread of its own (a
     * cancelled build does not wait for it); nothing when the making failed, which left nothing.
     */
    public void removeWhenMade(BuildId id, java.util.concurrent.Future<BuildNetwork> making) {
        if (!hookIntoExit()) {
            // The JVM is exiting already: no hook would wait for a thread now, so remove it here.
            closeWhenMade(making);
            return;
        }
        Thread removal = Thread.ofVirtual().name("strata-network-removal-" + id.value()).unstarted(() -> {
            try {
                closeWhenMade(making);
            } finally {
                running.remove(id, Thread.currentThread());
            }
        });
        running.put(id, removal);
        removal.start();
    }

    private static void closeWhenMade(java.util.concurrent.Future<BuildNetwork> making) {
        BuildNetwork network;
        boolean interrupted = false;
        while (true) {
            try {
                network = making.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the network is being made: wait for it, then remove it
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                network = null; // its making failed and removed what it had made
                break;
            }
        }
        if (network != null) {
            network.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns once build {@code id}'s network is removed; at once when no removal of it is running.
     * A cancel stops the waiting, not the removal, and stays set for the caller's next check: the
     * caller is then being stopped anyway, and the shutdown hook still waits at exit.
     */
    public void awaitRemoval(BuildId id) {
        Thread removal = running.get(id);
        if (removal == null) {
            return;
        }
        try {
            removal.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a shutdown hook waits for this instance's removals; false once the JVM has begun to exit. */
    private boolean hookIntoExit() {
        if (hooked) {
            return true;
        }
        synchronized (this) {
            if (!hooked) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(this::awaitAllAtExit, "strata-network-removals-at-exit"));
                } catch (IllegalStateException exiting) {
                    return false;
                }
                hooked = true;
            }
        }
        return true;
    }

    /** Until none is running (a build may hand one over while the JVM exits), for at most {@link #EXIT_WAIT}. */
    private void awaitAllAtExit() {
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        while (!running.isEmpty()) {
            for (Thread removal : running.values()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    removal.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
