package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Background;
import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.supply.AddedFile;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * The part of gather_image_content's work that needs no process: whether the pushed image's
 * packages are settled without a working container (listed while it was pushed, or its layers,
 * read from the registry, hold no package database), begun on a virtual thread as soon as
 * tag_and_push has read the pushed manifest back, while the image's other tags are set.
 * gather_image_content records what it found, or lists the packages in a working container on its
 * own thread (where a cancel reaches it) when they are not settled; attach_sbom's SBOM, begun at
 * the same moment, waits for it. A build that fails before gather_image_content leaves it to end
 * by itself: it only reads the registry.
 */
final class PendingContent {
    /**
     * The packages found, and the lines saying how (for gather_image_content's log); {@code added}, the
     * files the build's own layers add, when they were read from local storage on the way (attach_sbom
     * lists them, and reads no layer from the registry).
     */
    record Gathered(ImagePackages packages, java.util.List<String> log, Optional<java.util.List<AddedFile>> added) {
        Gathered {
            log = java.util.List.copyOf(log);
            added = added.map(java.util.List::copyOf);
        }

        Gathered(ImagePackages packages, java.util.List<String> log) {
            this(packages, log, Optional.empty());
        }
    }

    private final Future<Optional<Gathered>> settled;

    private PendingContent(Future<Optional<Gathered>> settled) {
        this.settled = settled;
    }

    static PendingContent begin(Callable<Optional<Gathered>> reading) {
        return new PendingContent(Background.start("strata-gather-image-content", reading));
    }

    /** Waits for the reading: the packages, or empty when only a working container can list them; its failure thrown as it was. */
    Optional<Gathered> join() throws StrataException, InterruptedException {
        return Background.join(settled, "reading the image's layers");
    }

    /** As {@link #join}, with a failure taken as not settled. */
    Optional<Gathered> joinQuietly() throws InterruptedException {
        try {
            return join();
        } catch (StrataException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
