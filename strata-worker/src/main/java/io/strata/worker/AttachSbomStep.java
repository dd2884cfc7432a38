package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.RpmComponent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.registry.ImageReference;
import io.strata.registry.PreparedAttach;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.supply.AddedFile;
import io.strata.worker.supply.DpkgStatus;
import io.strata.worker.supply.OsPackage;
import io.strata.worker.supply.RecentLayers;
import io.strata.worker.supply.SbomInput;
import io.strata.worker.supply.SbomWriter;
import io.strata.worker.buildah.BuildahException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * attach_sbom: writes the pushed image's SBOM (CycloneDX JSON: its dpkg and rpm packages, as
 * gather_image_content read them, else from a working container of its own; the files its own layers add, read from the
 * registry; the pinned parents; the source commit) and stores it as an artifact of type
 * {@code application/vnd.cyclonedx+json} whose subject is the image manifest, in the background;
 * attach_provenance, when the plan runs it, lists it in the referrers tag with its own document
 * (one update), else this step does. The SBOM is begun as soon as tag_and_push has read the pushed
 * manifest back ({@link #begin}), and waits there for the packages gather_image_content reads meanwhile.
 * Per platform image: a multi-platform build runs it in each worker.
 */
final class AttachSbomStep implements Step<WorkerState>, EarlyStart {
    static final String NAME = "attach_sbom";
    private static final String KIND = "sbom";

    private final Buildah buildah;
    private final RegistryClient registry;
    private final BuildEnvironment environment;
    /** The layers gather_image_content read a moment ago: the build's own are not read again. */
    private final RecentLayers recent;

    AttachSbomStep(Buildah buildah, RegistryClient registry, BuildEnvironment environment, RecentLayers recent) {
        this.buildah = buildah;
        this.registry = registry;
        this.environment = environment;
        this.recent = recent;
    }

    /**
     * Begins writing and storing the SBOM as soon as the push ends, before the manifest is read back,
     * when buildah's storage settled the image's content while it was pushed (no package database;
     * the files of the build's own layers read there): the SBOM then needs only the pushed digest, and
     * its blob is stored while the tags are set. tag_and_push calls it with the image's repository and
     * digest (its size and layers are not known yet, and the SBOM does not use them); otherwise
     * {@link #begin} begins it once the manifest is read back.
     */
    EarlyStart whenPushed() {
        return (state, context) -> {
            if (!context.laterSteps().contains(NAME) || state.pushed().isEmpty() || state.attaching().begun(KIND)
                    || state.gathering().isEmpty()) {
                return state;
            }
            Optional<PendingContent.Gathered> settled;
            try {
                settled = state.gathering().get().settledByStorage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a cancel: the step sees it
                return state;
            }
            if (settled.isEmpty() || settled.get().added().isEmpty()) {
                return state;
            }
            PendingContent.Gathered found = settled.get();
            return state.withUnattached(PendingAttestation.begin(KIND, registry, preparation(state, context),
                    log -> sbom(state, Optional.of(found.packages()), found.added(), log)));
        };
    }

    /**
     * Begins writing and storing the SBOM (when the plan runs this step later and {@link #whenPushed}
     * did not), through the uploads opened while the image was built: tag_and_push calls it once the
     * pushed manifest is read back. The writing waits for gather_image_content's reading of the layers; when that finds
     * the packages need a working container, the SBOM is left to this step, which runs after the
     * container has listed them (on gather_image_content's own thread, where a cancel reaches it).
     */
    @Override
    public WorkerState begin(WorkerState state, StepContext context) throws StrataException {
        if (!context.laterSteps().contains(NAME) || state.pushed().isEmpty() || state.attaching().begun(KIND)
                || (state.gathering().isEmpty() && state.packages().isEmpty())) {
            return state;
        }
        return state.withUnattached(PendingAttestation.begin(KIND, registry, preparation(state, context),
                log -> sbom(state, settled(state), storedFiles(state), log)));
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        WorkerState storing;
        if (state.attaching().begun(KIND) && beganWithPackages(state)) {
            context.log("the SBOM was begun while the image was pushed");
            storing = state;
        } else {
            // Not begun, or begun on packages that turned out to need a working container: written here.
            WorkerState unbegun = state.withAttaching(state.attaching().without(KIND));
            Optional<ImagePackages> listed = unbegun.packages().isPresent() ? unbegun.packages() : packages(unbegun, context::log);
            storing = unbegun.withUnattached(PendingAttestation.begin(KIND, registry, preparation(unbegun, context),
                    log -> sbom(unbegun, listed, storedFiles(unbegun), log)));
        }
        if (context.laterSteps().contains(AttachProvenanceStep.NAME)) {
            context.log("the SBOM is being stored; " + AttachProvenanceStep.NAME + " lists it with the provenance, in one referrers update");
            return storing;
        }
        return Attach.finish(storing, context, registry);
    }

    /** Whether the SBOM begun early had its packages: those listed during the push, or settled by the layers' reading. */
    private static boolean beganWithPackages(WorkerState state) throws InterruptedException {
        return state.gathering().isEmpty() || state.gathering().get().joinQuietly().isPresent();
    }

    /** The push's calls that need no document (uploads opened, subject and referrers tag read), begun or shared. */
    private PreparedAttach preparation(WorkerState state, StepContext context) throws StrataException {
        boolean withProvenance = context.laterSteps().contains(AttachProvenanceStep.NAME);
        return Attach.preparation(state, registry.reportingTo(context::log), withProvenance ? 2 : 1);
    }

    /**
     * The packages the SBOM begun early lists: those gather_image_content's reading of the layers
     * settled, else those listed while the image was pushed. When only a working container can list
     * them, the early SBOM stops here and this step writes it later ({@link #run}).
     */
    private static Optional<ImagePackages> settled(WorkerState state) throws StrataException, InterruptedException {
        if (state.gathering().isEmpty()) {
            return state.packages();
        }
        return Optional.of(state.gathering().get().join().orElseThrow(() -> new NeedsWorkingContainer()).packages());
    }

    /** Stops the SBOM begun early; attach_sbom drops it and writes its own ({@link #run}), so it is never thrown further. */
    private static final class NeedsWorkingContainer extends RuntimeException {
        NeedsWorkingContainer() {
            super("the image's packages need a working container: attach_sbom writes the SBOM once they are listed", null,
                    false, false);
        }
    }

    /**
     * The SBOM of the pushed image: {@code listed}, its packages (empty: not listed, and it says so);
     * {@code stored}, the files its own layers add as read from buildah's storage, else they are read
     * from the registry (the layers the pushed manifest names).
     */
    private AttestationDocument sbom(WorkerState state, Optional<ImagePackages> listed, Optional<List<AddedFile>> stored,
            Consumer<String> log) throws StrataException, InterruptedException {
        PushedImage pushed = state.requirePushed();
        ImagePackages found = listed.orElse(new ImagePackages(List.of(), Optional.empty(), Optional.empty()));
        String distro = found.osReleaseId().orElse("");
        List<OsPackage> packages = new ArrayList<>(found.dpkgStatus().map(text -> DpkgStatus.installed(text, distro))
                .orElse(List.of()));
        found.rpms().forEach(rpm -> packages.add(osPackage(rpm, distro)));
        RegistryClient client = registry.reportingTo(log);
        ImageReference image = ImageReference.parse(pushed.repository()).pinnedTo(pushed.digest());
        List<AddedFile> added = stored.isPresent() ? stored.get() : AddedLayers.files(client, new Referrers(client), recent,
                image, pushed.layerDigests(), state.pinnedParents().values());
        ImageIdentity identity = state.requireIdentity();
        var source = state.requireSource();
        byte[] sbom = SbomWriter.write(new SbomInput(pushed.repository(), pushed.digest(), identity.name(),
                identity.version() + "-" + identity.release(), packages, added, state.pinnedParents(),
                AddLabelsStep.vcsUrl(state.request().gitUri()), source.commitId(), source.commitTime(),
                environment.strataVersion(), listed.isPresent()));
        // Not checked against the schema here: SbomWriter's tests and strata verify check it; per build it cost as much
        // as writing it.
        log.accept("SBOM: " + packages.size() + " OS packages (" + found.rpms().size() + " rpm), " + added.size()
                + " files added by the build's layers, " + state.pinnedParents().size() + " parent images");
        return Attach.document(KIND, SbomWriter.MEDIA_TYPE, SbomWriter.MEDIA_TYPE, sbom, false, source.commitTime());
    }

    /** The files the build's own layers add, when gather_image_content's reading found them in local storage. */
    private static Optional<List<AddedFile>> storedFiles(WorkerState state) throws InterruptedException {
        return state.gathering().isEmpty() ? Optional.empty()
                : state.gathering().get().joinQuietly().flatMap(PendingContent.Gathered::added);
    }

    /**
     * The packages from a working container of its own. Like gather_image_content, whose job this
     * is, a failure to list them does not fail the build: the SBOM then says its package list is
     * missing (property {@code strata:os-packages-listed} false), and the log says why.
     */
    private Optional<ImagePackages> packages(WorkerState state, Consumer<String> log) throws BuildahException {
        try {
            return Optional.of(buildah.packages(state.requireImageId(), state.buildId().value()));
        } catch (BuildahException e) {
            if (e.failure() == BuildahException.Failure.CANCELLED) {
                throw e;
            }
            log.accept("cannot list the image's packages (" + e.getMessage() + "): the SBOM lists none and says so");
            return Optional.empty();
        }
    }

    private static OsPackage osPackage(RpmComponent rpm, String distro) {
        String version = (rpm.epoch() == null ? "" : rpm.epoch() + ":") + rpm.version() + "-" + rpm.release();
        return new OsPackage("rpm", distro, rpm.name(), version, rpm.arch());
    }
}
