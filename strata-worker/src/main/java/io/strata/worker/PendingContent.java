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
 * packages are settled without a working container (listed while it was pushed, or its layers hold
 * no package database), on virtual threads, in up to two phases. While the image is pushed, its
 * build's own layers are read from buildah's local storage ({@link #fromStorage}); as soon as
 * tag_and_push has read the pushed manifest back, while the image's other tags are set, the answer
 * is settled ({@link #thenFromRegistry}): what storage said, else the layers read from the registry.
 * gather_image_content records what it found, or lists the packages in a working container on its
 * own thread (where a cancel reaches it) when they are not settled; attach_sbom's SBOM waits for it,
 * or, when storage settled it, is begun as soon as the push ends ({@link #settledByStorage}). A build
 * that fails before gather_image_content leaves it to end by itself: it only reads files and the registry.
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

    /** What buildah's local storage says about the image's packages. */
    sealed interface FromStorage {
        /** The settled answer: this one, empty when a working container is needed, else {@code registry}'s reading. */
        default Optional<Gathered> orElse(RegistryReading registry) throws StrataException {
            return switch (this) {
                case Settled found -> Optional.of(found.gathered());
                case NeedsContainer needs -> Optional.empty();
                case Unknown unknown -> registry.read();
            };
        }

        /** No package database: nothing to list; the files the build's own layers add come with it. */
        record Settled(Gathered gathered) implements FromStorage {}

        /** A package database is there: only a working container lists the packages. */
        record NeedsContainer() implements FromStorage {}

        /** Storage cannot say (not readable, a parent's layers not learnt): the registry is read. */
        record Unknown() implements FromStorage {}
    }

    /** The same answer read from the pushed image's layers in the registry. */
    @FunctionalInterface
    interface RegistryReading {
        Optional<Gathered> read() throws StrataException;
    }

    private static final String THREAD = "strata-gather-image-content";

    /** The reading of local storage begun while the image is pushed; empty when none was. */
    private final Optional<Future<FromStorage>> stored;
    /** The settled answer, begun once the manifest is read back; empty until then. */
    private final Optional<Future<Optional<Gathered>>> settled;

    private PendingContent(Optional<Future<FromStorage>> stored, Optional<Future<Optional<Gathered>>> settled) {
        this.stored = stored;
        this.settled = settled;
    }

    /** The whole reading at once, begun once the manifest is read back. */
    static PendingContent begin(Callable<Optional<Gathered>> reading) {
        return new PendingContent(Optional.empty(), Optional.of(Background.start(THREAD, reading)));
    }

    /** The reading of local storage alone, begun while the image is pushed. */
    static PendingContent fromStorage(Callable<FromStorage> reading) {
        return new PendingContent(Optional.of(Background.start(THREAD, reading)), Optional.empty());
    }

    /**
     * Settles the answer once the manifest is read back: what storage said, when it could say it,
     * else {@code registry}'s reading (also when the storage reading failed).
     */
    PendingContent thenFromRegistry(RegistryReading registry) {
        if (settled.isPresent()) {
            return this;
        }
        return new PendingContent(stored, Optional.of(Background.start(THREAD, () -> storedAnswer().orElse(registry))));
    }

    /** Whether the answer is being settled (the manifest was read back); before that only storage is being read. */
    boolean settling() {
        return settled.isPresent();
    }

    /**
     * What local storage settled, when its reading is over; empty when it settled nothing, was not
     * read, or is still being read (it hashes the files of the build's own layers: a large layer whose
     * push was short, its blobs being in the registry already, may still be read when the push ends,
     * and the push's end must not wait for it).
     */
    Optional<Gathered> settledByStorage() throws InterruptedException {
        if (stored.isEmpty() || !stored.get().isDone()) {
            return Optional.empty();
        }
        return storedAnswer() instanceof FromStorage.Settled found ? Optional.of(found.gathered()) : Optional.empty();
    }

    private FromStorage storedAnswer() throws InterruptedException {
        if (stored.isEmpty()) {
            return new FromStorage.Unknown();
        }
        try {
            return Background.join(stored.get(), "reading the image's layers from local storage");
        } catch (StrataException | RuntimeException e) {
            return new FromStorage.Unknown();
        }
    }

    /**
     * Waits for the settled answer: the packages, or empty when only a working container can list
     * them; its failure thrown as it was. Only once {@link #settling}.
     */
    Optional<Gathered> join() throws StrataException, InterruptedException {
        return Background.join(settled.orElseThrow(() -> new IllegalStateException("the image's content is not being settled yet")),
                "reading the image's layers");
    }

    /** As {@link #join}, with a failure, or an answer not being settled, taken as not settled. */
    Optional<Gathered> joinQuietly() throws InterruptedException {
        if (!settling()) {
            return Optional.empty();
        }
        try {
            return join();
        } catch (StrataException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
