package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.RecordedLog;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of a build on an engine, from the thread that holds the build's lease: starts the
 * worker and waits for its answer. An interrupt of that thread (Ctrl-C, {@code cancel-build} seen
 * by the lease's heartbeat, the service stopping) cancels the worker, which then answers
 * CANCELLED; a worker still running after {@code timeout} is cancelled and ends FAILED
 * {@value #TIMED_OUT}.
 */
final class WorkerAttempt {
    /** The reason of a build cancelled because it ran longer than its engine's limit. */
    static final String TIMED_OUT = "BUILD_TIMED_OUT";

    private WorkerAttempt() {}

    /** An engine that refuses to start the worker makes the attempt FAILED with its reason. */
    static WorkerResult run(Engine engine, WorkerSpec spec, BuildListener events, Duration timeout) {
        return run(engine, spec, Optional.empty(), events, timeout, () -> false);
    }

    /**
     * As {@link #run(Engine, WorkerSpec, BuildListener, Duration)}, but a resumed build
     * ({@code resumed}: what its record holds of the log) first asks the engine for the worker that may
     * still run from before (a pod the service's restart left behind) and follows that one; only when
     * there is none is a worker started. An interrupt while {@code leaving} (the service stops, nobody
     * asked to cancel) detaches from a worker that can outlive this process instead of cancelling it.
     */
    static WorkerResult run(Engine engine, WorkerSpec spec, Optional<RecordedLog> resumed, BuildListener events,
            Duration timeout, BooleanSupplier leaving) {
        return runOrReattach(engine, spec, resumed.map(recorded -> new Earlier(spec, recorded, events)).stream().toList(), events,
                timeout, leaving);
    }

    /**
     * Where to look for a worker that may still run from before: under which spec (its build id is
     * what the engine finds the worker by), what the record holds of its log, and who hears its events.
     */
    record Earlier(WorkerSpec spec, RecordedLog recorded, BuildListener events) {}

    /**
     * As above, with the earlier worker looked for under specs of their own, in order, until one is
     * found: a multi-platform build's new worker record follows the pod one of its interrupted
     * predecessor records started (the newest first; after a second restart the pod still carries
     * the id of the record that started it), and only when there is none starts {@code spec}.
     */
    static WorkerResult runOrReattach(Engine engine, WorkerSpec spec, List<Earlier> earlier, BuildListener events,
            Duration timeout, BooleanSupplier leaving) {
        EngineRun run;
        try {
            Optional<EngineRun> attached = Optional.empty();
            for (int i = 0; i < earlier.size() && attached.isEmpty(); i++) {
                attached = engine.reattach(earlier.get(i).spec(), earlier.get(i).recorded(), earlier.get(i).events());
            }
            run = attached.isPresent() ? attached.get() : engine.start(spec, events);
        } catch (StrataException e) {
            return WorkerResult.failed(new Failure(e.reason(), e.getMessage(), e.hint()),
                    LocalEngine.TRANSIENT_REASONS.contains(e.reason()));
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        // The watchdog cancels the worker, not this thread: an interrupt arriving after the worker
        // answered could hit the store writes that follow.
        Thread watchdog = Thread.ofVirtual().name("strata-timeout-" + spec.buildId()).start(() -> {
            try {
                Thread.sleep(timeout);
                timedOut.set(true);
                run.cancel();
            } catch (InterruptedException e) {
                // the worker answered in time
            }
        });
        WorkerResult result = awaitCancellingOnInterrupt(run, leaving);
        watchdog.interrupt();
        Threads.joinUninterruptibly(watchdog);
        if (timedOut.get() && result.state() == BuildState.CANCELLED) {
            return WorkerResult.failed(new Failure(TIMED_OUT, "the build ran longer than " + timeout
                    + " and was cancelled", "find the step that hangs in `strata build-logs " + spec.buildId()
                    + "`; raise worker_max_run_hours if the build really needs longer"), false);
        }
        return result;
    }

    /**
     * The interrupt is turned into the worker's cancellation, or its detaching when the service is
     * leaving and the worker can run on without it, and consumed: CANCELLED is the answer.
     */
    private static WorkerResult awaitCancellingOnInterrupt(EngineRun run, BooleanSupplier leaving) {
        while (true) {
            try {
                return run.await();
            } catch (InterruptedException e) {
                if (!leaving.getAsBoolean() || !run.detach()) {
                    run.cancel();
                }
            }
        }
    }
}
