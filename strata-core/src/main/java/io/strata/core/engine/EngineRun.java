package io.strata.core.engine;

import io.strata.core.build.BuildId;

/** One running worker of an {@link Engine}. */
public interface EngineRun {
    BuildId buildId();

    /** Waits for the worker to end; its events have all been delivered when this returns. */
    WorkerResult await() throws InterruptedException;

    /** Asks the worker to stop (buildah's process tree, the pod); {@link #await} then answers CANCELLED. Idempotent. */
    void cancel();

    /**
     * The service is stopping: stop following the worker but leave it running, for the next
     * service to {@link Engine#reattach} to; {@link #await} then answers CANCELLED. False when the
     * worker cannot outlive its follower (it runs in this process): the caller cancels it instead.
     */
    default boolean detach() {
        return false;
    }
}
