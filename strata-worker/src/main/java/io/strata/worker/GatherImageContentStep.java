package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.RpmComponent;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.worker.buildah.Buildah;
import io.strata.registry.ImageReference;
import io.strata.worker.assembly.AssembledImage;
import io.strata.worker.assembly.RpmDatabaseProbe;
import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.supply.StoredLayers;
import java.util.List;
import java.util.Optional;

/**
 * gather_image_content: lists the rpm packages installed in the built image (none, not an error,
 * when the image has no rpm) and records the image's output again with them; reads dpkg's database
 * and os-release in the same working container, for attach_sbom. The image itself was
 * recorded by tag_and_push, so a failure here loses only the package list. A small image whose
 * layers hold neither an rpm nor a dpkg database needs no working container at all: its own layers
 * are read from buildah's storage while it is pushed ({@link #whilePushing}, {@link StoredLayers}),
 * or, when storage cannot say, from the registry once the manifest is read back ({@link #begin}); the
 * parents' layers were read while buildah built. An image whose parents hold one had its packages
 * listed by tag_and_push while it was pushed ({@link PackageListing}), and they are only recorded
 * here. This step waits for the reading.
 */
final class GatherImageContentStep implements Step<WorkerState>, EarlyStart {
    static final String NAME = "gather_image_content";

    private final Buildah buildah;
    private final RpmDatabaseProbe probe;
    /** buildah's storage, when Strata can read its layers (overlay, vfs); else the registry is read. */
    private final Optional<StoredLayers> stored;

    GatherImageContentStep(Buildah buildah, RpmDatabaseProbe probe, Optional<StoredLayers> stored) {
        this.buildah = buildah;
        this.probe = probe;
        this.stored = stored;
    }

    /**
     * Begins reading the build's own layers from buildah's local storage while the image is pushed
     * (when the plan runs this step later, and the image is buildah's in a storage Strata reads):
     * tag_and_push calls it before it pushes. The answer is settled once the manifest is read back
     * ({@link #begin}); when it is that the layers hold no package database, attach_sbom begins the
     * SBOM as soon as the push ends.
     */
    EarlyStart whilePushing() {
        return (state, context) -> {
            if (!context.laterSteps().contains(NAME) || stored.isEmpty() || state.assembled().isPresent()
                    || state.imageId().isEmpty() || state.gathering().isPresent()) {
                return state;
            }
            return state.withGathering(PendingContent.fromStorage(() -> fromStorage(state)));
        };
    }

    /**
     * Begins, on a virtual thread, finding out whether the pushed image's packages are settled
     * without a working container (when the plan runs this step later): tag_and_push calls it as
     * soon as it has read the pushed manifest back, so the registry reads, when storage could not
     * say, overlap the setting of the image's other tags, and attach_sbom's SBOM can wait for them. A
     * working container, when one is needed, is left to this step's own thread, where a cancel reaches it.
     */
    @Override
    public WorkerState begin(WorkerState state, StepContext context) {
        if (!context.laterSteps().contains(NAME) || state.pushed().isEmpty()) {
            return state;
        }
        Optional<PendingContent> begun = state.gathering();
        if (begun.isPresent() && begun.get().settling()) {
            return state;
        }
        if (begun.isPresent() && state.packages().isEmpty()) {
            return state.withGathering(begun.get().thenFromRegistry(() -> fromRegistry(state)));
        }
        // Not read from storage, or the packages were listed while the image was pushed (which storage would not say).
        return state.withGathering(PendingContent.begin(() -> settledWithoutContainer(state)));
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        Optional<PendingContent.Gathered> settled = state.gathering().filter(PendingContent::settling).isPresent()
                ? begunReading(state, state.gathering().get(), context) : settledWithoutContainer(state);
        PendingContent.Gathered found = settled.isPresent() ? settled.get() : inWorkingContainer(state, context);
        found.log().forEach(context::log);
        List<RpmComponent> components = found.packages().rpms();
        WorkerState gathered = state.withPackages(found.packages());
        var output = gathered.imageOutput();
        context.log("image " + output.pullspec() + ": " + output.layerDigests().size() + " layers, "
                + output.sizeBytes() + " bytes, " + components.size() + " rpm packages");
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), output));
        return gathered;
    }

    /** What the reading begun during the push found; when it failed, read again now, as this step always read after the push. */
    private Optional<PendingContent.Gathered> begunReading(WorkerState state, PendingContent begun, StepContext context)
            throws StrataException, InterruptedException {
        try {
            return begun.join();
        } catch (StrataException e) {
            context.log("reading the image's layers during the push failed (" + e.getMessage() + "); reading them again");
            return settledWithoutContainer(state);
        }
    }

    /**
     * The image's packages when no working container is needed to list them (with the line saying
     * why); empty when one is: listed while the image was pushed, else as buildah's storage says,
     * else as the registry's layers say.
     */
    private Optional<PendingContent.Gathered> settledWithoutContainer(WorkerState state) throws StrataException {
        if (state.packages().isPresent()) {
            return Optional.of(new PendingContent.Gathered(state.packages().get(),
                    List.of("the image's packages were listed while it was pushed")));
        }
        return fromStorage(state).orElse(() -> fromRegistry(state));
    }

    /** The answer from the pushed image's layers in the registry (the parents' read while buildah built). */
    private Optional<PendingContent.Gathered> fromRegistry(WorkerState state) throws StrataException {
        ImageReference pushed = ImageReference.parse(state.requirePushed().repository())
                .pinnedTo(state.requirePushed().digest());
        if (probe.certainlyNone(pushed, state.platform())) {
            return Optional.of(new PendingContent.Gathered(NO_PACKAGES,
                    List.of("the image's layers hold no rpm or dpkg database: nothing to list, no working container")));
        }
        return Optional.empty();
    }

    private static final ImagePackages NO_PACKAGES = new ImagePackages(List.of(), Optional.empty(), Optional.empty());

    /**
     * The answer from buildah's local storage, with the files the build's own layers add (what
     * attach_sbom lists): no blob downloaded and unpacked after the push. Unknown when storage cannot
     * say (an image Strata assembled has no stored image; a parent's layers not learnt while buildah
     * built; storage Strata does not read): then the registry is read, as before.
     */
    private PendingContent.FromStorage fromStorage(WorkerState state) {
        if (stored.isEmpty() || state.assembled().isPresent() || state.imageId().isEmpty()) {
            return new PendingContent.FromStorage.Unknown();
        }
        Optional<StoredLayers.Read> read = stored.get().read(state.imageId().get(), state.pinnedParents().values());
        Optional<Boolean> none = read.flatMap(own -> probe.certainlyNone(state.pinnedParents().values(), own.paths()));
        if (none.isEmpty()) {
            return new PendingContent.FromStorage.Unknown();
        }
        if (!none.get()) {
            return new PendingContent.FromStorage.NeedsContainer();
        }
        return new PendingContent.FromStorage.Settled(new PendingContent.Gathered(NO_PACKAGES,
                List.of("the image's layers hold no rpm or dpkg database (read from local storage): nothing to list, no working container"),
                Optional.of(read.get().files())));
    }

    /** The packages from one working container for both package databases: attach_sbom then needs none of its own. */
    private PendingContent.Gathered inWorkingContainer(WorkerState state, StepContext context)
            throws StrataException, InterruptedException {
        ImagePackages packages = state.assembled().isPresent()
                ? assembledPackages(state, state.assembled().get(), context::log)
                : buildah.packages(state.requireImageId(), state.buildId().value());
        return new PendingContent.Gathered(packages, List.of());
    }

    /**
     * The packages of an image Strata assembled: its layers only copy files, so they are the base
     * image's (none for scratch); only when a layer wrote into an rpm database is the image itself
     * pulled and asked. Either is pulled now, after the push, never before it.
     */
    private ImagePackages assembledPackages(WorkerState state, AssembledImage image, java.util.function.Consumer<String> log)
            throws StrataException, InterruptedException {
        String pushed = state.requirePushed().repository() + "@" + image.digest();
        Optional<String> listed = image.touchesRpmDatabase() ? Optional.of(pushed) : image.baseImage();
        if (listed.isEmpty()) {
            return NO_PACKAGES;
        }
        buildah.pullIfMissing(listed.get(), state.platform().toString(), log);
        return buildah.packages(listed.get(), state.buildId().value());
    }
}
