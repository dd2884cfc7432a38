package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.store.BuildStore;
import io.strata.core.store.LeaseOwner;
import io.strata.core.store.StoreException;
import io.strata.worker.process.ProcessGroupObserver;
import io.strata.local.store.StoreReasons;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Holds a running build's lease: takes it, renews it every {@link #INTERVAL} on a thread of its
 * own with the process group of the builder running now, and stops the build (interrupts its
 * thread, which PlanExecutor turns into CANCELLED) when the heartbeat finds a cancel request from
 * {@code strata cancel-build}, or finds the lease gone because another process reconciled the
 * build. Must be taken and closed on the build's thread: child processes started there report
 * their process group to it ({@link #GROUPS}).
 */
final class LeaseKeeper implements AutoCloseable {
    /** How often the owner says it is alive; a cancel request is seen within this time. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    /**
     * Every child started for a build carries this variable with the build id, and so does all it
     * starts: {@link OrphanedBuilds} finds them by it even when the JVM died before the group was
     * written into the lease. (buildah does not pass its own environment into RUN steps, so the
     * mark never reaches an image.)
     */
    static final String BUILD_MARK = "IO_STRATA_BUILD_ID";

    /** Routes process groups of children started on a build thread to that build's keeper. */
    static final ProcessGroupObserver GROUPS = new ProcessGroupObserver() {
        @Override
        public java.util.Map<String, String> environment() {
            LeaseKeeper keeper = CURRENT.get();
            return keeper == null ? java.util.Map.of() : java.util.Map.of(BUILD_MARK, keeper.id.value());
        }

        @Override
        public void started(long processGroup) {
            LeaseKeeper keeper = CURRENT.get();
            if (keeper != null) {
                keeper.processGroup(OptionalLong.of(processGroup));
            }
        }

        @Override
        public void ended(long processGroup) {
            LeaseKeeper keeper = CURRENT.get();
            if (keeper != null) {
                keeper.processGroup(OptionalLong.empty());
            }
        }
    };

    /**
     * Inherited: an engine runs its worker on a thread the build thread starts, and buildah's
     * process group must still reach this build's lease.
     */
    private static final ThreadLocal<LeaseKeeper> CURRENT = new InheritableThreadLocal<>();

    private final BuildStore store;
    private final BuildId id;
    private final LeaseOwner owner;
    private final Thread buildThread;
    private final PrintStream diagnostics;
    private final Semaphore wake = new Semaphore(0);
    private final Thread heartbeat;
    private volatile OptionalLong group = OptionalLong.empty();
    private volatile boolean closed;
    private volatile boolean cancelRequested;
    private volatile boolean lost;
    private boolean warned;
    /** Set before the heartbeat thread starts (so seen by it): a claim has just written the heartbeat. */
    private boolean firstBeatAfterInterval;

    private LeaseKeeper(BuildStore store, BuildId id, LeaseOwner owner, PrintStream diagnostics) {
        this.store = store;
        this.id = id;
        this.owner = owner;
        this.buildThread = Thread.currentThread();
        this.diagnostics = diagnostics;
        this.heartbeat = Thread.ofVirtual().name("strata-lease-" + id).unstarted(this::beat);
    }

    /** Takes the lease of build {@code id} for this process and starts renewing it. */
    static LeaseKeeper take(BuildStore store, BuildId id, Path workspace, PrintStream diagnostics) throws StoreException {
        store.takeLease(id, ThisProcess.OWNER, workspace.toString());
        LeaseKeeper keeper = new LeaseKeeper(store, id, ThisProcess.OWNER, diagnostics);
        CURRENT.set(keeper);
        keeper.heartbeat.start();
        return keeper;
    }

    /**
     * Keeps the lease the store gave this process with a claim from the queue
     * ({@code BuildStore.claim} takes it in the same transaction as the move to RUNNING).
     */
    static LeaseKeeper keep(BuildStore store, BuildId id, PrintStream diagnostics) {
        LeaseKeeper keeper = new LeaseKeeper(store, id, ThisProcess.OWNER, diagnostics);
        // The claim wrote the heartbeat a moment ago: the first renewal is due an interval later (a
        // cancel request is still seen within one interval). A short build then writes no heartbeat.
        keeper.firstBeatAfterInterval = true;
        CURRENT.set(keeper);
        keeper.heartbeat.start();
        return keeper;
    }

    /** A child process group started or ended: record it now, not at the next beat. */
    private void processGroup(OptionalLong current) {
        group = current;
        wake.release();
    }

    private void beat() {
        if (firstBeatAfterInterval && !pause()) {
            return;
        }
        while (!closed) {
            try {
                if (store.heartbeat(id, owner, group) && !cancelRequested) {
                    cancelRequested = true;
                    buildThread.interrupt();
                }
            } catch (StrataException e) {
                if (e.reason().equals(StoreReasons.LEASE_LOST)) {
                    lost = true;
                    buildThread.interrupt();
                    return;
                }
                warn(e);
            }
            if (!pause()) {
                return;
            }
        }
    }

    /** Waits an interval, or until woken (a new process group, or close); false when interrupted. */
    private boolean pause() {
        try {
            wake.tryAcquire(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            wake.drainPermits();
            return true;
        } catch (InterruptedException e) {
            return false; // nobody interrupts this thread; if someone does, stop renewing
        }
    }

    private void warn(StrataException e) {
        if (!warned) {
            warned = true;
            diagnostics.println("strata: warning: could not renew the lease of build " + id + ": " + e.getMessage()
                    + " [" + e.reason() + "]; the build goes on");
        }
    }

    /** Whether {@code strata cancel-build} asked this build to stop. */
    boolean cancelRequested() {
        return cancelRequested;
    }

    /** Whether another process reconciled the build (its lease is gone): its record is final already. */
    boolean lost() {
        return lost;
    }

    /** Stops renewing; the lease itself goes with the build's final state. */
    @Override
    public void close() {
        closed = true;
        CURRENT.remove();
        // Woken, not interrupted: an interrupt could land in the middle of a store call.
        wake.release();
        Threads.joinUninterruptibly(heartbeat);
    }
}
