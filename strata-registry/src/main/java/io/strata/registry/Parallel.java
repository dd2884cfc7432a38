package io.strata.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Registry calls that wait on nothing but the registry, made at once, each on a virtual thread of
 * its own: a handful of loopback round trips cost one instead of their sum. Every call finishes
 * before this returns (a failed one does not leave others running behind the caller's back).
 */
public final class Parallel {
    private Parallel() {}

    /**
     * The results of {@code calls}, in their order; the first failure (in that order) is thrown once
     * all have ended. An interrupt while waiting stops them all and stays set on the calling thread.
     */
    public static <T> List<T> all(List<? extends Callable<T>> calls) throws RegistryException {
        if (calls.size() == 1) {
            return List.of(callOne(calls.getFirst()));
        }
        List<Future<T>> futures = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<T> call : calls) {
                futures.add(executor.submit(call));
            }
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            switch (future.state()) {
                case SUCCESS -> results.add(future.resultNow());
                case FAILED -> throw asRegistryFailure(future.exceptionNow());
                // Stopped because this thread was interrupted while waiting: the interrupt is kept on it.
                default -> throw stopped();
            }
        }
        return results;
    }

    /**
     * Starts {@code call} on a virtual thread of its own and returns at once: for calls begun before
     * their result is needed ({@link #join}). A call never joined still ends by itself.
     */
    public static <T> Future<T> start(Callable<T> call) {
        return io.strata.core.pipeline.Background.start("strata-registry-call", call);
    }

    /**
     * The result of a call {@link #start} began, once it has ended; its failure thrown as
     * {@link #all} throws it. An interrupt while waiting stays set on the calling thread and is
     * reported as a stop (the call itself ends by itself).
     */
    public static <T> T join(Future<T> started) throws RegistryException {
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw asRegistryFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopped();
        }
    }

    private static RegistryException stopped() {
        return new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                "registry calls were stopped: the build was cancelled", "nothing to do");
    }

    private static <T> T callOne(Callable<T> call) throws RegistryException {
        try {
            return call.call();
        } catch (RegistryException e) {
            throw e;
        } catch (Exception e) {
            throw asRegistryFailure(e);
        }
    }

    private static RegistryException asRegistryFailure(Throwable failure) {
        if (failure instanceof RegistryException registry) {
            return registry;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("a registry call failed unexpectedly", failure);
    }
}
