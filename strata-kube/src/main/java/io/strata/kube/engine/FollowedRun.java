package io.strata.kube.engine;

import io.strata.core.build.BuildId;
import io.strata.core.build.Failure;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A worker build followed in a cluster by a virtual thread of its own, which always answers: a bug
 * in the following is BUILD_CRASHED, never a build without an end. {@link #cancel} sets a flag
 * and wakes the thread, which removes what it made in the cluster and answers CANCELLED;
 * {@link #detach} (the service stopping) makes it answer CANCELLED and leave the worker running,
 * for the next service to re-attach to.
 */
abstract class FollowedRun implements EngineRun {
    private final BuildId id;
    private final CompletableFuture<WorkerResult> result = new CompletableFuture<>();
    private final Object wake = new Object();
    private volatile boolean cancelled;
    private volatile boolean detached;
    private boolean signalled;

    FollowedRun(BuildId id) {
        this.id = id;
    }

    final FollowedRun start() {
        Thread.ofVirtual().name("strata-cluster-" + id).start(() -> {
            try {
                result.complete(follow());
            } catch (RuntimeException | Error e) {
                result.complete(WorkerResult.failed(new Failure("BUILD_CRASHED", "following the worker in the cluster crashed: " + e,
                        "this is a bug in Strata; please report it"), false));
            }
        });
        return this;
    }

    /** Creates (or finds) the worker in the cluster, follows it to its end, cleans up; runs on the run's own thread. */
    abstract WorkerResult follow();

    @Override
    public final BuildId buildId() {
        return id;
    }

    @Override
    public final WorkerResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a followed run always completes normally", e);
        }
    }

    @Override
    public final void cancel() {
        cancelled = true;
        wake();
    }

    final boolean cancelled() {
        return cancelled;
    }

    /** The worker in the cluster outlives its follower: the follower only stops, leaving it and its objects be. */
    @Override
    public final boolean detach() {
        detached = true;
        wake();
        return true;
    }

    final boolean detached() {
        return detached;
    }

    /** Placement waits while neither cancelled nor detached. */
    final boolean stopped() {
        return cancelled || detached;
    }

    /** Wakes {@link #pause} early: a watch event, a cancel. */
    final void wake() {
        synchronized (wake) {
            signalled = true;
            wake.notifyAll();
        }
    }

    /** Waits for a wake-up or {@code millis}, whichever comes first. */
    final void pause(long millis) {
        synchronized (wake) {
            if (!signalled) {
                try {
                    wake.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
            signalled = false;
        }
    }
}
