package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.Failure;
import io.strata.core.store.BuildLease;
import io.strata.core.store.BuildStore;
import io.strata.core.store.LeaseOwner;
import io.strata.worker.buildah.BuildahException;
import io.strata.worker.buildah.WorkingContainers;
import io.strata.worker.git.Workspace;
import io.strata.worker.process.ProcessGroups;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds builds whose owner is gone and ends them, whenever Strata opens the store (and now and then while a
 * follower waits, {@link #reconcileIfDue()}): a `strata build`
 * killed with SIGKILL, a crashed JVM, a machine that rebooted. For each: its builder's process group
 * is stopped (SIGTERM, then SIGKILL), its buildah working containers and its workspace are
 * removed, and the record moves to FAILED with reason {@value #INTERRUPTED}. Idempotent, and safe
 * when several processes reconcile at once: the store lets exactly one of them end each build.
 */
public final class OrphanedBuilds {
    /** The reason code of a build whose process went away before finishing it. */
    public static final String INTERRUPTED = "INTERRUPTED";
    /**
     * An owner on another host (a fleet on PostgreSQL) is gone when it has not renewed its lease for
     * this long: many missed heartbeats ({@link LeaseKeeper#INTERVAL}), not one slow one.
     */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);
    private static final Duration GRACE = Duration.ofSeconds(10);
    /**
     * How often {@link #reconcileIfDue()} reconciles: a follower polls a few times a second, and a build whose
     * owner died is ended within this; one cadence for every follower of this process (the service's many).
     */
    static final Duration WHILE_FOLLOWING = Duration.ofMillis(2500);

    private final BuildStore store;
    private final WorkingContainers containers;
    private final Clock clock;
    private final PrintStream diagnostics;
    /** {@link System#nanoTime()} of the last reconcile begun: a cadence of this process, not a time of the builds. */
    private final AtomicLong lastReconcile = new AtomicLong(System.nanoTime());

    /** {@code containers}: the buildah storage this machine's builds use, where their leftovers are. */
    public OrphanedBuilds(BuildStore store, WorkingContainers containers, Clock clock, PrintStream diagnostics) {
        this.store = store;
        this.containers = containers;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    /**
     * {@link #reconcile()} when none was begun for {@link #WHILE_FOLLOWING}, else nothing (empty): for a
     * command or a stream that waits for a build whose owner may die meanwhile.
     */
    public List<BuildId> reconcileIfDue() throws StrataException {
        long last = lastReconcile.get();
        if (System.nanoTime() - last < WHILE_FOLLOWING.toNanos() || !lastReconcile.compareAndSet(last, System.nanoTime())) {
            return List.of();
        }
        return reconcile();
    }

    /** Ends every orphaned build; returns the ones this call ended. */
    public List<BuildId> reconcile() throws StrataException {
        lastReconcile.set(System.nanoTime());
        List<BuildId> ended = new ArrayList<>();
        for (BuildLease lease : store.leases()) {
            Optional<String> gone = whyGone(lease.owner(), lease.heartbeatAt());
            if (gone.isPresent() && end(lease, gone.get())) {
                ended.add(lease.buildId());
            }
        }
        return List.copyOf(ended);
    }

    /** Why the owner counts as gone, or empty while it may still run. */
    private Optional<String> whyGone(LeaseOwner owner, Instant heartbeatAt) {
        if (owner.id().equals(ThisProcess.OWNER.id())) {
            return Optional.empty();
        }
        if (ThisProcess.isSameHost(owner)) {
            return ThisProcess.isAlive(owner)
                    ? Optional.empty()
                    : Optional.of("the strata process that ran it (pid " + owner.pid() + ") ended without finishing it:"
                            + " it was killed or crashed");
        }
        Duration silent = Duration.between(heartbeatAt, clock.instant());
        return silent.compareTo(STALE_AFTER) > 0
                ? Optional.of("the strata process that ran it (pid " + owner.pid() + " on " + owner.host()
                        + ") has not renewed its lease for " + silent.toSeconds() + " s")
                : Optional.empty();
    }

    private boolean end(BuildLease lease, String why) throws StrataException {
        String cleaned = "";
        if (ThisProcess.isSameHost(lease.owner())) {
            cleaned = stopBuilder(lease) + removeContainers(lease) + removeNetwork(lease) + removeWorkspace(lease);
        }
        Failure failure = new Failure(INTERRUPTED, "build " + lease.buildId() + " was interrupted: " + why + cleaned,
                "build it again; if the process was killed by the system, look for the reason (out of memory:"
                        + " `dmesg`, `journalctl -k`)");
        boolean ended = store.endOrphaned(lease.buildId(), lease.owner().id(), failure);
        if (ended) {
            // A build from the queue with attempts left resumes instead (BuildStore.endOrphaned).
            boolean resumed = store.find(lease.buildId()).map(b -> b.state() == io.strata.core.build.BuildState.PENDING)
                    .orElse(false);
            diagnostics.println("strata: build " + lease.buildId() + " was left running by a strata process that is gone;"
                    + (resumed ? " it waits in the queue again [" + INTERRUPTED + "]" : " it is now FAILED [" + INTERRUPTED + "]"));
        }
        return ended;
    }

    /**
     * Stops the builder still running for a dead owner: the group the lease names, and every group
     * holding a process marked with the build's id ({@link LeaseKeeper#BUILD_MARK}; that also
     * covers a child started just before the JVM died, whose group never reached the store). A
     * recorded group id is reused only after every member of the old group is gone; if its leader
     * now is a process started after the owner's last heartbeat, the group is someone else's.
     */
    private String stopBuilder(BuildLease lease) {
        Set<Long> groups = new TreeSet<>(ProcessGroups.marked(LeaseKeeper.BUILD_MARK, lease.buildId().value()));
        if (lease.processGroup().isPresent()) {
            long group = lease.processGroup().getAsLong();
            Optional<Instant> leaderStarted = ProcessHandle.of(group).flatMap(leader -> leader.info().startInstant());
            if (leaderStarted.isEmpty() || !leaderStarted.get().isAfter(lease.heartbeatAt().plusSeconds(1))) {
                groups.add(group);
            }
        }
        int stopped = 0;
        for (long group : groups) {
            stopped += ProcessGroups.terminate(group, GRACE);
        }
        return stopped == 0 ? "" : "; its " + stopped + " builder process(es) were stopped";
    }

    /**
     * buildah removes its working container itself when stopped during a RUN step, but not when
     * stopped anywhere else (a COPY, a commit): whatever is left and marked as the build's goes.
     */
    private String removeContainers(BuildLease lease) {
        try {
            int removed = containers.removeOf(lease.buildId().value());
            return removed == 0 ? "" : "; its " + removed + " buildah working container(s) were removed";
        } catch (BuildahException e) {
            diagnostics.println("strata: warning: could not look for buildah working containers of build "
                    + lease.buildId() + ": " + e.getMessage());
            return "";
        }
    }

    /** The build's network namespace, links and rules (allowlist and open builds), found by the build id. */
    private static String removeNetwork(BuildLease lease) {
        return io.strata.worker.network.BuildNetwork.removeOf(lease.buildId()) ? "; its network namespace and rules were removed" : "";
    }

    /** Only a directory named after the build is removed, whatever the store says the path is. */
    private String removeWorkspace(BuildLease lease) {
        Path workspace = Path.of(lease.workspace());
        if (workspace.getFileName() == null || !workspace.getFileName().toString().equals(lease.buildId().value())) {
            return "";
        }
        try {
            Workspace.existing(workspace).close();
            return "; its workspace was removed";
        } catch (IOException e) {
            diagnostics.println("strata: warning: could not remove the workspace " + workspace + " of build "
                    + lease.buildId() + ": " + e.getMessage() + "; delete it by hand");
            return "";
        } catch (IllegalArgumentException notAWorkspace) {
            return "";
        }
    }
}
