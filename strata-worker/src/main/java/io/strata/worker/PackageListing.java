package io.strata.worker;

import io.strata.core.pipeline.StepContext;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.ImagePackages;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The package listing of a built image (rpm and dpkg databases, in one working container), run on
 * a virtual thread of its own while tag_and_push pushes the image: the two are independent, and
 * the working container (three buildah runs) then costs no time of its own. Best effort: a listing
 * that fails is said in the log and left to gather_image_content, which lists again. Closing it
 * before it finished (the push failed, the build was cancelled) interrupts it, which stops buildah
 * and removes the working container, and waits for that.
 */
final class PackageListing implements AutoCloseable {
    private static final PackageListing NONE = new PackageListing(null, null, null);

    private final FutureTask<ImagePackages> task;
    private final Thread thread;
    private final StepContext context;

    private PackageListing(FutureTask<ImagePackages> task, Thread thread, StepContext context) {
        this.task = task;
        this.thread = thread;
        this.context = context;
    }

    /** Starts listing the packages of {@code state}'s buildah image when {@code wanted}; else a listing of nothing. */
    static PackageListing startIf(boolean wanted, Buildah buildah, WorkerState state, StepContext context) {
        if (!wanted) {
            return NONE;
        }
        String imageId = state.requireImageId();
        String owner = state.buildId().value();
        FutureTask<ImagePackages> task = new FutureTask<>(() -> buildah.packages(imageId, owner));
        context.log("the parents hold package databases: listing the image's packages while it is pushed");
        return new PackageListing(task, Thread.ofVirtual().name("strata-packages-" + owner).start(task), context);
    }

    /** The packages, once listed; empty when nothing was listed or the listing failed. */
    Optional<ImagePackages> result() throws InterruptedException {
        if (task == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(task.get());
        } catch (ExecutionException e) {
            context.log("listing the image's packages during the push failed (gather_image_content tries again): "
                    + e.getCause().getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (task == null || task.isDone()) {
            return;
        }
        task.cancel(true);
        // Wait for buildah to stop and the working container to go, also when this thread was cancelled itself.
        boolean interrupted = Thread.interrupted();
        try {
            thread.join();
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
