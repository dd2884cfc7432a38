package io.strata.local.worker;

import io.strata.core.build.BuildId;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A worker that runs on a virtual thread of this process: cancel interrupts it (the steps stop
 * their processes and answer CANCELLED), await waits for its answer.
 */
final class ThreadRun implements EngineRun {
    private final BuildId id;
    private final CompletableFuture<WorkerResult> result = new CompletableFuture<>();
    private volatile Thread thread;

    private ThreadRun(BuildId id) {
        this.id = id;
    }

    static ThreadRun start(BuildId id, String namePrefix, Supplier<WorkerResult> work) {
        ThreadRun run = new ThreadRun(id);
        run.thread = Thread.ofVirtual().name(namePrefix + id).start(() -> {
            try {
                run.result.complete(work.get());
            } catch (Throwable e) {
                run.result.completeExceptionally(e);
            }
        });
        return run;
    }

    @Override
    public BuildId buildId() {
        return id;
    }

    @Override
    public WorkerResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            // The work answers for every failure itself; this is a bug in it.
            throw new IllegalStateException("the worker of build " + id + " crashed", e.getCause());
        }
    }

    @Override
    public void cancel() {
        thread.interrupt();
    }
}
