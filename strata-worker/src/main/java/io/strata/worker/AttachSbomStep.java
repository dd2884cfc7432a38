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

/**
 * attach_sbom: writes the pushed image's SBOM (CycloneDX JSON: its dpkg and rpm packages, as
 * gather_image_content read them, else from a working container of its own; the files its own layers add, read from the
 * registry; the pinned parents; the source commit) and stores it as an artifact of type
 * {@code application/vnd.cyclonedx+json} whose subject is the image manifest, in the background;
 * attach_provenance, when the plan runs it, lists it in the referrers tag with its own document
 * (one update), else this step does. Per platform image: a multi-platform build runs it in each worker.
 */
final class AttachSbomStep implements Step<WorkerState> {
    static final String NAME = "attach_sbom";

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
        SbomWriter.warmUpInBackground();
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        PushedImage pushed = state.requirePushed();
        // gather_image_content read them already, unless a customize document disabled it or it failed.
        Optional<ImagePackages> listed = state.packages().isPresent() ? state.packages() : packages(state, context);
        ImagePackages found = listed.orElse(new ImagePackages(List.of(), Optional.empty(), Optional.empty()));
        String distro = found.osReleaseId().orElse("");
        List<OsPackage> packages = new ArrayList<>(found.dpkgStatus().map(text -> DpkgStatus.installed(text, distro))
                .orElse(List.of()));
        found.rpms().forEach(rpm -> packages.add(osPackage(rpm, distro)));
        RegistryClient client = registry.reportingTo(context::log);
        ImageReference image = ImageReference.parse(pushed.repository()).pinnedTo(pushed.digest());
        Referrers referrers = new Referrers(client);
        boolean withProvenance = context.laterSteps().contains(AttachProvenanceStep.NAME);
        // attach_provenance began the push's calls that need no document (uploads opened, subject and referrers tag
        // read) during gather_image_content; else they run now, while the layers are read and the SBOM written.
        PreparedAttach prepared = Attach.preparation(state, client, withProvenance ? 2 : 1);
        List<AddedFile> added = AddedLayers.files(client, referrers, recent, image, pushed.layerDigests(),
                state.pinnedParents().values());
        ImageIdentity identity = state.requireIdentity();
        var source = state.requireSource();
        byte[] sbom = SbomWriter.write(new SbomInput(pushed.repository(), pushed.digest(), identity.name(),
                identity.version() + "-" + identity.release(), packages, added, state.pinnedParents(),
                AddLabelsStep.vcsUrl(state.request().gitUri()), source.commitId(), source.commitTime(),
                environment.strataVersion(), listed.isPresent()));
        // Not checked against the schema here: SbomWriter's tests and strata verify check it; per build it cost as much
        // as writing it.
        context.log("SBOM: " + packages.size() + " OS packages (" + found.rpms().size() + " rpm), " + added.size()
                + " files added by the build's layers, " + state.pinnedParents().size() + " parent images");
        AttestationDocument document = Attach.document("sbom", SbomWriter.MEDIA_TYPE, SbomWriter.MEDIA_TYPE, sbom, false,
                source.commitTime());
        WorkerState storing = state.withUnattached(PendingAttestation.begin("sbom", registry, prepared, log -> document));
        if (withProvenance) {
            context.log("the SBOM is being stored; " + AttachProvenanceStep.NAME + " lists it with the provenance, in one referrers update");
            return storing;
        }
        return Attach.finish(storing, context, registry);
    }

    /**
     * The packages from a working container of its own. Like gather_image_content, whose job this
     * is, a failure to list them does not fail the build: the SBOM then says its package list is
     * missing (property {@code strata:os-packages-listed} false), and the log says why.
     */
    private Optional<ImagePackages> packages(WorkerState state, StepContext context) throws BuildahException {
        try {
            return Optional.of(buildah.packages(state.requireImageId(), state.buildId().value()));
        } catch (BuildahException e) {
            if (e.failure() == BuildahException.Failure.CANCELLED) {
                throw e;
            }
            context.log("cannot list the image's packages (" + e.getMessage() + "): the SBOM lists none and says so");
            return Optional.empty();
        }
    }

    private static OsPackage osPackage(RpmComponent rpm, String distro) {
        String version = (rpm.epoch() == null ? "" : rpm.epoch() + ":") + rpm.version() + "-" + rpm.release();
        return new OsPackage("rpm", distro, rpm.name(), version, rpm.arch());
    }
}
