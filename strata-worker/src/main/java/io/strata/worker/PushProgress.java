package io.strata.worker;

import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.StepContext;
import io.strata.registry.ImageManifest;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The progress of a push, from buildah's output: each {@code Copying blob} line passes to the log
 * and counts one blob started (a progress event); when the push is over, one line and one event
 * with the blobs, the bytes of the image's blobs and the rate ({@code buildah push} prints no byte
 * counts when its output is not a terminal, so the bytes are known only from the manifest).
 */
final class PushProgress implements Consumer<String> {
    private final BuildId build;
    private final StepContext context;
    private final long startedAt = System.nanoTime();
    private long blobs;

    PushProgress(BuildId build, StepContext context) {
        this.build = build;
        this.context = context;
    }

    @Override
    public void accept(String line) {
        context.log(line);
        if (line.startsWith("Copying blob")) {
            blobs++;
            context.publish(new BuildEvent.Progress(build, context.clock().instant(), "push", blobs, 0, 0, 0));
        }
    }

    /** The push ended with {@code manifest} in the registry. */
    void done(ImageManifest manifest) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedAt) / 1e9);
        long bytes = manifest.totalSize();
        long total = manifest.layers().size() + 1L;
        context.log(String.format(Locale.ROOT, "Pushed %d blobs (%d sent, the rest already there), %.1f MB in %.1f s (%.1f MB/s)",
                total, blobs, bytes / 1048576.0, seconds, bytes / 1048576.0 / seconds));
        context.publish(new BuildEvent.Progress(build, context.clock().instant(), "push", total, total, bytes, bytes / seconds));
    }
}
