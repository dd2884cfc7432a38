package io.strata.local.worker;

import io.strata.core.build.BuildId;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A worker that runs on a virtual thread of this process: cancel interrupts it (the steps stop
 * their processes and answer CANCELLED), await waits for its answer.
 */
final class ThreadRun implements EngineRun {
    private final BuildId id;
    private final CompletableFuture<WorkerResult> result = new CompletableFuture<>();
    private volatile Thread thread;
    private final boolean detachable;
    private volatile boolean detaching;

    private ThreadRun(BuildId id, boolean detachable) {
        this.id = id;
        this.detachable = detachable;
    }

    static ThreadRun start(BuildId id, String namePrefix, Supplier<WorkerResult> work) {
        return start(id, namePrefix, false, leaving -> work.get());
    }

    /**
     * A run whose work follows workers that can outlive this process (a multi-platform build's
     * pods): {@link #detach} interrupts it as cancel does, but the work sees {@code leaving} true
     * and passes the detach on to them.
     */
    static ThreadRun startDetachable(BuildId id, String namePrefix, Function<BooleanSupplier, WorkerResult> work) {
        return start(id, namePrefix, true, work);
    }

    private static ThreadRun start(BuildId id, String namePrefix, boolean detachable, Function<BooleanSupplier, WorkerResult> work) {
        ThreadRun run = new ThreadRun(id, detachable);
        run.thread = Thread.ofVirtual().name(namePrefix + id).start(() -> {
            try {
                run.result.complete(work.apply(() -> run.detaching));
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
        detaching = false;
        thread.interrupt();
    }

    @Override
    public boolean detach() {
        if (!detachable) {
            return false;
        }
        detaching = true;
        thread.interrupt();
        return true;
    }
}
