package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.core.event.BuildEvent;
import io.strata.worker.assembly.AssembledImage;
import io.strata.worker.assembly.StoredImagePush;
import io.strata.worker.buildah.StorageLocation;
import io.strata.worker.assembly.RpmDatabaseProbe;
import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.network.NetworkRemovals;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.registry.SubjectManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * tag_and_push: pushes the image under a unique tag first (its digest comes from buildah's
 * --digestfile), then points the primary {@code {version}-{release}} tag and the floating tags at
 * that very manifest through the registry API: the same bytes under each tag, so every tag has the
 * recorded digest (a second buildah push could recompress and produce another).
 * Scratch builds get the unique tag only; isolated builds no floating tags. When any push fails
 * the manifest is deleted again, so no tag is left pointing at a half-published build. A primary
 * tag that already points at another component's image is refused before anything is pushed (the
 * image it points at is read while buildah builds, {@link #begin}). The
 * pushed image is recorded here, read back from the registry (layers, size), so the record has it
 * even when a later step fails. An image Strata assembled itself (no buildah image) has only its
 * manifest stored under the unique tag: its blobs are there already. While the image is pushed,
 * buildah_build's network namespace is removed in the background; the step ends only once that is
 * done ({@link NetworkRemovals}), whatever the push did. The later steps' work is begun here, in
 * three places: as the push starts (what needs only the built image: its layers read from buildah's
 * storage), as soon as it ends (what needs only the digest: the documents, whose subject is the
 * read-back), and once the manifest is read back (the rest), while the other tags are set.
 */
final class TagAndPushStep implements Step<WorkerState>, EarlyStart {
    static final String NAME = "tag_and_push";

    private final Buildah buildah;
    private final RegistryClient registry;
    private final String registryHost;
    private final RpmDatabaseProbe probe;
    private final NetworkRemovals networkRemovals;
    private final EarlyStart whilePushing;
    private final EarlyStart whenPushed;
    private final EarlyStart whenReadBack;
    private final StoredImagePush fromStorage;

    /**
     * {@code probe}: says whether the parents hold package databases, so listing them may overlap the push;
     * {@code networkRemovals}: buildah_build's, whose removal of the build's network overlaps the push;
     * {@code whenReadBack}: the later steps' work that needs only the pushed image, begun as soon as its
     * manifest is read back, while the other tags are set.
     */
    TagAndPushStep(Buildah buildah, RegistryClient registry, String registryHost, RpmDatabaseProbe probe,
            NetworkRemovals networkRemovals, EarlyStart whenReadBack) {
        this(buildah, registry, registryHost, probe, networkRemovals, NOTHING, NOTHING, whenReadBack);
    }

    /**
     * As above, with {@code whilePushing}: the later steps' work that needs only the built image,
     * begun as the push starts; {@code whenPushed}: the work that needs only the pushed digest, begun
     * as soon as the push ends, before the manifest is read back (the state's pushed image then has
     * its repository, digest and unique tag, not yet its size and layers).
     */
    TagAndPushStep(Buildah buildah, RegistryClient registry, String registryHost, RpmDatabaseProbe probe,
            NetworkRemovals networkRemovals, EarlyStart whilePushing, EarlyStart whenPushed, EarlyStart whenReadBack) {
        this.buildah = buildah;
        this.fromStorage = new StoredImagePush(registry);
        this.registry = registry;
        this.registryHost = registryHost;
        this.probe = probe;
        this.networkRemovals = networkRemovals;
        this.whilePushing = whilePushing;
        this.whenPushed = whenPushed;
        this.whenReadBack = whenReadBack;
    }

    private static final EarlyStart NOTHING = (state, context) -> state;

    /**
     * Begins reading the image the primary tag points at (when the plan runs this step later and the
     * build is not a scratch build), so that its check before the push does not wait for the registry:
     * LocalWorker calls it before buildah_build, once the image's name and release are known.
     */
    @Override
    public WorkerState begin(WorkerState state, StepContext context) throws StrataException {
        if (!context.laterSteps().contains(NAME) || state.request().scratch() || state.identity().isEmpty()
                || state.primaryTagCheck().isPresent()) {
            return state;
        }
        ImageReference primary;
        try {
            primary = primaryTag(state.identity().get());
        } catch (RegistryException e) {
            return state; // this step names the bad name, where a user expects a push to fail
        }
        RegistryClient client = registry.reportingTo(context::log);
        return state.withPrimaryTagCheck(PrimaryTagCheck.begin(primary, () -> client.labels(primary, state.platform())));
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        try {
            return tagAndPush(state, context);
        } finally {
            // buildah_build's network was removed while the image was pushed: the build goes on without it.
            networkRemovals.awaitRemoval(state.buildId());
        }
    }

    private WorkerState tagAndPush(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        // Retries of registry calls go to this build's log, next to buildah's.
        RegistryClient client = registry.reportingTo(context::log);
        ImageIdentity identity = state.requireIdentity();
        String imageId = state.requireImageId();
        ImageReference repository = ImageReference.parse(registryHost + "/" + identity.name());
        List<String> tags = tagsFor(state, identity, context.config().stringListArg("floating_tags"));
        if (!state.request().scratch()) {
            ImageReference primary = primaryTag(identity);
            Optional<PrimaryTagCheck> begun = state.primaryTagCheck().filter(check -> check.primary().equals(primary));
            Optional<Optional<Map<String, String>>> fresh = begun.isPresent() ? begun.get().joinIfFresh() : Optional.empty();
            refuseAnotherComponentsTag(primary, fresh.isPresent() ? fresh.get() : client.labels(primary, state.platform()),
                    identity, context);
        }

        String digest = null;
        Tagging tagsAhead = null;
        WorkerState begunBeforeStored = null;
        List<String> pushed = new ArrayList<>();
        WorkerState begun;
        ImageManifest manifest;
        WorkerState pushing = beginLaterSteps(whilePushing, state, context);
        try (PackageListing listing = PackageListing.startIf(listAlongside(state), buildah, state, context)) {
            try {
                String unique = repository.withTag(tags.get(0)).toString();
                context.log("pushing " + unique);
                PushProgress progress = new PushProgress(state.buildId(), context);
                Optional<StoredImagePush.Written> stored = Optional.empty();
                if (state.assembled().isPresent()) {
                    digest = storeAssembledManifest(client, repository, tags.get(0), state.assembled().get(), context);
                } else {
                    stored = blobsFromStorage(state, imageId, repository, progress);
                    if (stored.isPresent()) {
                        // Every blob is there and the manifest is written: the other tags are stored at the same
                        // time as the unique one, and the work that needs only the digest and the subject (the
                        // documents) begins beside them.
                        digest = stored.get().digest();
                        tagsAhead = Tagging.start(client, repository, digest, tags.subList(1, tags.size()), stored);
                        begunBeforeStored = beginWhenPushed(pushing, repository, digest, tags.get(0), tagsAhead, context);
                        fromStorage.store(stored.get(), repository, tags.get(0), context::log);
                    } else {
                        digest = buildah.push(labelled(state, imageId, context), unique, progress);
                    }
                }
                pushed.add(tags.get(0));
                try (Tagging tagging = tagsAhead != null ? tagsAhead
                        : Tagging.start(client, repository, digest, tags.subList(1, tags.size()), stored)) {
                    StrataException failure = null;
                    manifest = null;
                    WorkerState early = begunBeforeStored != null ? begunBeforeStored
                            : beginWhenPushed(pushing, repository, digest, tags.get(0), tagging, context);
                    begun = early;
                    try {
                        manifest = tagging.readBack();
                        WorkerState known = early.withPushed(pushedImage(repository, digest, List.of(tags.get(0)), manifest));
                        Optional<ImagePackages> packages = listing.result();
                        begun = beginLaterSteps(whenReadBack, packages.map(known::withPackages).orElse(known), context);
                    } catch (StrataException e) {
                        failure = e;
                    }
                    StrataException tagFailure = tagging.awaitTags(pushed, context);
                    if (failure != null || tagFailure != null) {
                        throw failure != null ? failure : tagFailure;
                    }
                }
                progress.done(manifest);
            } catch (StrataException e) {
                if (tagsAhead != null) {
                    tagsAhead.close(); // its tags settled before the manifest they name is removed
                }
                if (digest != null) {
                    IndexPublisher.rollBack(client, repository, digest, pushed, context::log);
                }
                throw e;
            }
        }
        context.log("pushed " + repository.name() + "@" + digest + " as " + String.join(", ", pushed));
        WorkerState done = begun.withPushed(pushedImage(repository, digest, pushed, manifest));
        // Recorded now: whatever later steps do, the record says what is in the registry.
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), done.imageOutput()));
        return done;
    }

    /**
     * The image's blobs sent by Strata from buildah's storage and its manifest written, not yet
     * stored ({@link StoredImagePush}); empty when that cannot be, and buildah pushes it.
     */
    private Optional<StoredImagePush.Written> blobsFromStorage(WorkerState state, String imageId,
            ImageReference repository, java.util.function.Consumer<String> progress)
            throws InterruptedException, RegistryException {
        // Where buildah keeps its images, when Strata can read them (overlay or vfs): asked here, not when the step is
        // made, because an assembled image's push needs no buildah at all.
        Optional<StorageLocation> storage = buildah.storage();
        if (storage.isEmpty()) {
            return Optional.empty();
        }
        return fromStorage.sendBlobs(storage.get(), imageId, state.pinnedParents().values(), state.platform(),
                state.requireIdentity().set(), repository,
                progress);
    }

    /**
     * For buildah's push: the image with Strata's labels set, built from {@code imageId} with one LABEL
     * instruction (no layer; created at the commit's time, as the build was), under the build's local
     * names; {@code imageId} itself when there is no label to set. Only this path pays that commit: a push
     * from storage writes the labels into the configuration it sends.
     */
    private String labelled(WorkerState state, String imageId, StepContext context) throws StrataException {
        java.util.Map<String, String> labels = state.requireIdentity().set();
        if (labels.isEmpty()) {
            return imageId;
        }
        java.nio.file.Path dir = state.workspace().resolve("labels");
        java.nio.file.Path dockerfile = dir.resolve("Dockerfile");
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dockerfile,
                    io.strata.dockerfile.Dockerfile.parse("FROM " + imageId + "\n").withLabelsSet(labels).content());
        } catch (java.io.IOException e) {
            throw new StrataException("WORKSPACE_UNWRITABLE", "cannot write the labels' Dockerfile to " + dockerfile + ": "
                    + e.getMessage(), "check free space and permissions under STRATA_HOME", e);
        } catch (io.strata.dockerfile.DockerfileException e) {
            throw new IllegalStateException("a FROM line of an image id always parses", e);
        }
        io.strata.worker.buildah.BudSpec.Builder spec = BuildahBuildStep.budOf(state, dir, dockerfile).layers(false);
        // The commit's time, as buildah_build gave the image: the same build pushed again has the same config.
        state.source().ifPresent(source -> spec.timestamp(source.commitTime().getEpochSecond()));
        String id = buildah.bud(spec.build(), context::log);
        context.log("labelled image " + id + " (" + labels.size() + " labels set on " + imageId + ")");
        return id;
    }

    private ImageReference primaryTag(ImageIdentity identity) throws StrataException {
        return ImageReference.parse(registryHost + "/" + identity.name()).withTag(identity.primaryTag());
    }

    private static PushedImage pushedImage(ImageReference repository, String digest, List<String> tags,
            ImageManifest manifest) {
        return new PushedImage(repository.name(), digest, List.copyOf(tags), manifest.totalSize(), manifest.layerDigests(),
                manifest.config().digest());
    }

    /**
     * Begins {@code whenPushed}: the state's pushed image has only what the push told (repository,
     * digest, unique tag; its size and layers come with the read-back, which also gives the documents
     * their subject).
     */
    private WorkerState beginWhenPushed(WorkerState pushing, ImageReference repository, String digest, String uniqueTag,
            Tagging tagging, StepContext context) {
        return beginLaterSteps(whenPushed, pushing.withPushed(new PushedImage(repository.name(), digest,
                List.of(uniqueTag), 0, List.of())).withAttaching(pushing.attaching().withSubject(digest, tagging.subject())),
                context);
    }

    /**
     * Begins the later steps' work that needs only the pushed image (its packages read, its documents
     * written and stored). That is only a head start: when it cannot begin, the step it belongs to
     * does the work itself, so the failure is logged here, not thrown.
     */
    private WorkerState beginLaterSteps(EarlyStart work, WorkerState pushed, StepContext context) {
        try {
            return work.begin(pushed, context);
        } catch (StrataException e) {
            context.log("the work after the push could not begin during it (" + e.getMessage()
                    + "); the later steps do it themselves");
            return pushed;
        }
    }

    /**
     * Whether to list the image's packages while it is pushed (gather_image_content then only
     * records them): a buildah image, whose parents are known to hold an rpm or dpkg database, so
     * there is surely something to list; the listing reads local storage only, the push the same
     * image's layers. Otherwise gather_image_content decides after the push, as before.
     */
    private boolean listAlongside(WorkerState state) {
        return state.assembled().isEmpty() && !state.pinnedParents().isEmpty()
                && probe.parentsHoldPackages(state.pinnedParents().values());
    }

    /**
     * The other tags pointed at the pushed manifest while it is read back, all at once (each is a
     * registry round trip or two that waits on nothing but the push). The read-back is waited for
     * first, so the later steps' work can begin while the tags are still being set.
     */
    private static final class Tagging implements AutoCloseable {
        private final java.util.concurrent.ExecutorService calls = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        private final List<java.util.concurrent.Future<String>> tagged = new ArrayList<>();
        private final java.util.concurrent.Future<ImageManifest> readBack;
        private final ImageReference repository;

        private Tagging(RegistryClient client, ImageReference repository, String digest, List<String> tags,
                Optional<StoredImagePush.Written> written) {
            this.repository = repository;
            for (String tag : tags) {
                tagged.add(calls.submit(() -> {
                    if (written.isPresent()) {
                        // The manifest Strata wrote itself: stored under the tag as it is, without reading it back.
                        client.blobs().putManifest(repository.withTag(tag), tag, written.get().manifest().mediaType(),
                                written.get().bytes());
                    } else {
                        client.tagManifest(repository, digest, tag);
                    }
                    return tag;
                }));
            }
            readBack = written.isPresent() ? java.util.concurrent.CompletableFuture.completedFuture(written.get().manifest())
                    : calls.submit(() -> client.manifest(repository.pinnedTo(digest)));
        }

        /** {@code written}: the manifest when Strata wrote it (then it is not read back), else empty. */
        static Tagging start(RegistryClient client, ImageReference repository, String digest, List<String> tags,
                Optional<StoredImagePush.Written> written) {
            return new Tagging(client, repository, digest, tags, written);
        }

        /** The read-back as the subject of the documents attached to the image. */
        java.util.concurrent.Future<SubjectManifest> subject() {
            return io.strata.core.pipeline.Background.start("strata-subject", () -> readBack().asSubject());
        }

        ImageManifest readBack() throws StrataException, InterruptedException {
            try {
                return readBack.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw asStrata(e);
            }
        }

        /**
         * Waits for every tag; those set are added to {@code pushed} even when another failed, so the
         * roll-back names them. Returns the first failure, or null.
         */
        StrataException awaitTags(List<String> pushed, StepContext context) throws InterruptedException {
            StrataException failure = null;
            for (var future : tagged) {
                try {
                    String tag = future.get();
                    context.log("tagged " + repository.name() + ":" + tag);
                    pushed.add(tag);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = failure != null ? failure : asStrata(e);
                }
            }
            return failure;
        }

        @Override
        public void close() {
            calls.close();
        }
    }

    private static StrataException asStrata(java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof StrataException strata) {
            return strata;
        }
        throw new IllegalStateException("a registry call failed unexpectedly", e.getCause());
    }

    /**
     * An image Strata assembled has its blobs in the repository already (buildah_build sent them):
     * only its manifest is stored, under the unique tag; the digest is that of the bytes Strata wrote.
     */
    private static String storeAssembledManifest(RegistryClient client, ImageReference repository, String tag,
            AssembledImage image, StepContext context) throws StrataException {
        String digest = client.blobs().putManifest(repository, tag, image.mediaType(), image.manifest());
        if (!digest.equals(image.digest())) {
            throw new IllegalStateException("stored manifest digest " + digest + " differs from " + image.digest());
        }
        return digest;
    }

    /**
     * OSBS refuses to build an NVR that exists; two components sharing a name label would otherwise
     * silently move each other's {@code version-release} tag. The tag may move only between images
     * of the same component (a rebuild), judged by the component label of the image it points at.
     */
    private static void refuseAnotherComponentsTag(ImageReference primary, Optional<Map<String, String>> existing,
            ImageIdentity identity, StepContext context) throws StrataException {
        if (existing.isEmpty()) {
            return;
        }
        String owner = existing.get().getOrDefault(AddLabelsStep.COMPONENT, "");
        if (owner.equals(identity.component())) {
            context.log(primary + " exists for this component already; it will point at the new image");
            return;
        }
        throw new StrataException("PRIMARY_TAG_TAKEN", primary + " already holds an image of "
                + (owner.isEmpty() ? "an unknown component (it has no " + AddLabelsStep.COMPONENT + " label)"
                        : "component " + owner) + ", not of " + identity.component(),
                "give this component its own name label, or build another version or release (the request's release field)");
    }

    static List<String> tagsFor(WorkerState state, ImageIdentity identity, List<String> floatingTemplates) {
        // A worker of a multi-platform build pushes its platform-suffixed unique tag only: the
        // orchestrator puts the unique, primary and floating tags on the joined index, or nothing.
        if (state.orchestrator().isPresent()) {
            return List.of(uniqueTag(state));
        }
        return TagPolicy.tagsFor(state.request(), uniqueTag(state), identity.version(), identity.release(),
                floatingTemplates);
    }

    /**
     * Unique per build and platform, so concurrent builds and per-platform pushes never collide; a
     * worker of a multi-platform build is named after its orchestrator, as OSBS names worker images.
     */
    static String uniqueTag(WorkerState state) {
        return TagPolicy.uniqueTag(state.releaseOwner(), state.platform());
    }

}
