package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.LogLine;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import io.strata.local.store.JdbcBuildStore;
import io.strata.core.request.BuildRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One platform's worker build of a multi-platform build, from its record to its end: stored as a
 * build of its own naming its parent, run under its own lease (so a crash is reconciled like any
 * build's, and {@code cancel-build} of the worker stops it), recorded by its own
 * {@link StoreRecorder}, on the engine {@link PlatformPlacement} gives it.
 */
final class PlatformWorker {
    /** How one platform ended. */
    record Outcome(String platform, BuildId workerId, WorkerResult result) {}

    private PlatformWorker() {}

    /**
     * Runs every platform's worker in parallel, each on a virtual thread, and waits for all of them:
     * a failing platform never stops the others. An interrupt of the calling thread (the build
     * cancelled) cancels every worker; the answer is then null.
     */
    static List<Outcome> runAll(Orchestration.Parts parts, PlatformPlacement placement, BuildRecord parent,
            WorkerSpec parentSpec, BooleanSupplier leaving, Consumer<Outcome> ended) {
        List<String> platforms = parentSpec.request().platforms();
        Outcome[] outcomes = new Outcome[platforms.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < platforms.size(); i++) {
            int slot = i;
            String platform = platforms.get(i);
            threads.add(Thread.ofVirtual().name("strata-platform-" + platform + "-" + parent.id()).start(() -> {
                outcomes[slot] = run(parts, placement, parent, parentSpec, platform, leaving);
                ended.accept(outcomes[slot]);
            }));
        }
        boolean cancelled = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    // Cancelled: every worker is asked to stop, and each still ends in the store.
                    cancelled = true;
                    threads.forEach(Thread::interrupt);
                }
            }
        }
        return cancelled ? null : List.of(outcomes);
    }

    /** Never throws: whatever goes wrong is this platform's FAILED outcome. */
    private static Outcome run(Orchestration.Parts parts, PlatformPlacement placement, BuildRecord parent,
            WorkerSpec parentSpec, String platform, BooleanSupplier leaving) {
        BuildRequest request = parentSpec.request().toBuilder().platforms(List.of(platform)).build();
        // Read before the new record exists: the parent lists the newest worker of each platform.
        // When that one did not complete, its pod may still run, labelled with its id or (after a
        // second restart) with the id of an older record of the platform: all are looked under.
        boolean unfinished = parent.workers().stream().filter(w -> w.platform().equals(platform))
                .anyMatch(w -> w.state() != BuildState.COMPLETE);
        List<BuildId> earlierRecords;
        BuildRecord worker;
        try {
            earlierRecords = unfinished ? parts.store().workerAttempts(parent.id(), platform) : List.of();
            worker = parts.store().createWorker(parent.id(), platform, parent.request().toBuilder()
                    .platforms(List.of(platform)).build(), parent.configSnapshot(), parent.planJson());
        } catch (StrataException e) {
            return new Outcome(platform, parent.id(), failed(e));
        }
        BuildId id = worker.id();
        WorkerResult result;
        try {
            LeaseKeeper lease = LeaseKeeper.take(parts.store(), id, parts.workspaceRoot().resolve(id.value()),
                    parts.diagnostics());
            try {
                parts.store().transition(id, BuildState.RUNNING, Optional.empty());
                try (StoreRecorder recorder = new StoreRecorder(parts.store(), parts.diagnostics());
                        PlatformPlacement.Place place = placement.place(platform)) {
                    WorkerSpec spec = new WorkerSpec(id, request, parentSpec.planJson(), platform, 1, 0,
                            Optional.of(parent.id()));
                    result = WorkerAttempt.runOrReattach(place.engine(), spec, earlier(earlierRecords, spec, parts, recorder), recorder,
                            parts.workerTimeout(), () -> leaving.getAsBoolean() && !lease.cancelRequested());
                } catch (InterruptedException e) {
                    result = WorkerResult.cancelled();
                }
            } finally {
                lease.close();
            }
            if (lease.cancelRequested() && result.state() != BuildState.CANCELLED) {
                Thread.interrupted();
            }
            if (result.state() == BuildState.CANCELLED && leaving.getAsBoolean() && !lease.cancelRequested()) {
                // Detached, not cancelled: ended as a crash would end it, for the next service's
                // run of the orchestrator to re-attach to its pod.
                result = WorkerResult.failed(new Failure(OrphanedBuilds.INTERRUPTED, "worker build " + id + " was left running"
                        + " when the service stopped", "the next `strata serve` re-attaches to its worker"), false);
            }
            if (!lease.lost()) {
                parts.store().transition(id, result.state(), result.failure());
            }
        } catch (StrataException e) {
            result = failed(e);
            endQuietly(parts, id, result);
        }
        return new Outcome(platform, id, result);
    }

    /**
     * The worker an earlier record of this platform may have left running (the service stopped
     * or died under it, and the reconcile ended that record INTERRUPTED): looked for by each earlier
     * record's id, newest first, since its pod is labelled with the id of the record that started it. Its whole log goes into the new record, which is
     * empty but for the note saying where the lines come from, so nothing of it counts as recorded.
     */
    private static List<WorkerAttempt.Earlier> earlier(List<BuildId> earlierRecords, WorkerSpec spec,
            Orchestration.Parts parts, BuildListener recorder) {
        return earlierRecords.stream().map(old -> {
            var at = parts.clock().instant();
            LogLine note = new LogLine(1, at, JdbcBuildStore.QUEUE_LOG_STEP, "re-attached to the worker of the earlier"
                    + " worker build " + old + " of this platform, which still ran: its log follows");
            WorkerSpec under = new WorkerSpec(old, spec.request(), spec.planJson(), spec.platform(), spec.attempt(), 1,
                    spec.orchestrator());
            return new WorkerAttempt.Earlier(under, after -> 0, new RekeyedListener(spec.buildId(), note, recorder));
        }).toList();
    }

    private static WorkerResult failed(StrataException e) {
        return WorkerResult.failed(new Failure(e.reason(), e.getMessage(), e.hint()),
                LocalEngine.TRANSIENT_REASONS.contains(e.reason()));
    }

    /** A store failure half-way: the worker's record is ended if it can be; the reconcile does it otherwise. */
    private static void endQuietly(Orchestration.Parts parts, BuildId id, WorkerResult result) {
        try {
            BuildRecord now = parts.store().find(id).orElseThrow();
            if (!now.state().isTerminal()) {
                parts.store().transition(id, result.state(), result.failure());
            }
        } catch (StrataException | RuntimeException e) {
            parts.diagnostics().println("strata: warning: could not end worker build " + id + ": " + e.getMessage());
        }
    }
}
