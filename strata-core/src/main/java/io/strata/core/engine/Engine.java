package io.strata.core.engine;

import io.strata.core.StrataException;
import io.strata.core.event.BuildListener;
import java.util.Optional;

/**
 * Where worker builds run: this machine (the local engine, buildah as a subprocess), nowhere (the
 * dry-run engine, for load tests), later a pod. The scheduler owns the build's record, lease and
 * state; an engine only runs the worker from its {@link WorkerSpec} and reports what happens as
 * events (steps, log lines, outputs) and one {@link WorkerResult}.
 */
public interface Engine extends AutoCloseable {

    /** The name {@code strata_engine} selects it by: {@code local}, {@code dry-run}, ... */
    String name();

    /**
     * Starts the worker of a build and returns at once. Every event of the worker goes to
     * {@code events} (never a {@code StateChanged}: states are the scheduler's).
     */
    EngineRun start(WorkerSpec spec, BuildListener events) throws StrataException;

    /**
     * After a restart of the service (or a fleet member taking over a build whose owner died): the
     * worker of {@code spec}'s build if it still runs, or has ended but not been collected, somewhere
     * this engine can reach (a pod, an OpenShift Build), to follow to its end and cancel again. The
     * lines it reports continue the record's log after {@code spec.logAfter()}, without the worker
     * lines {@code recorded} already holds. Empty when there is nothing to attach to (the worker died
     * with the process that started it, as local and dry-run workers do, or its pod is gone): the
     * scheduler then starts the worker again. The default finds nothing.
     */
    default Optional<EngineRun> reattach(WorkerSpec spec, RecordedLog recorded, BuildListener events) throws StrataException {
        return Optional.empty();
    }

    /**
     * Refuses, before anything is stored, a platform (Koji name) this engine cannot build, with the
     * reason and the fix (the local engine: neither this machine's CPU nor one it can emulate).
     * The default builds every platform.
     */
    default void checkPlatform(String platform) throws StrataException {
    }

    @Override
    void close() throws StrataException;
}
