package io.strata.core.engine;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
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
     * After a restart of the service: the worker of {@code id} if it still runs somewhere this
     * engine can reach (a pod), to follow and cancel again. Empty when the worker died with the
     * process that started it (local, dry-run): the scheduler then runs the build again.
     */
    Optional<EngineRun> reattach(BuildId id, BuildListener events) throws StrataException;

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
