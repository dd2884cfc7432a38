package io.strata.core.engine;

import io.strata.core.build.BuildId;

/** One running worker of an {@link Engine}. */
public interface EngineRun {
    BuildId buildId();

    /** Waits for the worker to end; its events have all been delivered when this returns. */
    WorkerResult await() throws InterruptedException;

    /** Asks the worker to stop (buildah's process tree, the pod); {@link #await} then answers CANCELLED. Idempotent. */
    void cancel();
}
