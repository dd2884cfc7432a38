package io.strata.core.pipeline;

import io.strata.core.StrataException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Work begun on a virtual thread of its own for someone who waits for it later: a step's head start
 * for a later step (the attachments' documents, the image's layers, the primary tag), registry
 * calls begun before their answer is needed, a look-up beside a process. One way to start such work
 * and to wait for it.
 */
public final class Background {
    private Background() {}

    /** Starts {@code work} on a virtual thread named {@code name}; returns at once. */
    public static <T> Future<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().name(name).start(task);
        return task;
    }

    /**
     * Starts {@code warmUp} (work done once per process only to have Java load, link and compile code before
     * someone waits for it, its result dropped) on a daemon platform thread named {@code name}; returns at once.
     * Not on a virtual thread: a warm-up is all CPU and never blocks, so it would hold one of the few carrier
     * threads until it ended, and the virtual threads someone waits for (the sources resolved ahead, buildah's
     * version, build avoidance) would wait for a carrier. The kernel shares the CPU between platform threads.
     * A warm-up that fails fails silently. Returns the thread, for tests.
     */
    public static Thread warmUp(String name, Runnable warmUp) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                warmUp.run();
            } catch (RuntimeException | LinkageError e) {
                // Only a head start: the real call does the same work and reports what fails there. Never a stack
                // trace from the thread's default handler on the user's terminal.
            }
        });
    }

    /** Waits for {@code work}; its failure thrown as it was ({@code what} names it when it was no StrataException). */
    public static <T> T join(Future<T> work, String what) throws StrataException, InterruptedException {
        try {
            return work.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case StrataException strata -> throw strata;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(what + " failed unexpectedly", e.getCause());
            }
        }
    }
}
