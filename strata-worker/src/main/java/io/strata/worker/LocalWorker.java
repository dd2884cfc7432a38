package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.config.Configuration;
import io.strata.core.event.BuildListener;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.Step;
import io.strata.core.plan.Plan;
import io.strata.worker.assembly.DirectAssembly;
import io.strata.worker.assembly.RpmDatabaseProbe;
import io.strata.worker.supply.RecentLayers;
import io.strata.worker.supply.StoredLayers;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.network.AllowList;
import io.strata.worker.network.NetworkRemovals;
import io.strata.worker.network.NetworksAhead;
import io.strata.worker.process.SecretMasker;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import java.util.Optional;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The worker steps of this machine's engine, wired to their collaborators: the step names of the
 * plan catalogue mapped to the classes that do them. The same steps run wherever a worker runs.
 */
public final class LocalWorker {
    private final Map<String, Step<WorkerState>> steps;
    private final UnaryOperator<String> redactor;
    /** Null for the test constructor, whose plans are not checked against a configuration. */
    private final Configuration config;
    /** Build networks begun before buildah_build; null for a worker of other steps (tests). */
    private final NetworksAhead networksAhead;

    public LocalWorker(Configuration config, ReleaseAllocator releases, Buildah buildah, RegistryClient registry,
            RegistryTarget target, BuildEnvironment environment, UnaryOperator<String> redactor) {
        this.redactor = redactor;
        this.config = config;
        // One for three steps: buildah_build has it read the parents' layers while buildah builds, tag_and_push
        // asks it whether to list packages during the push, gather_image_content whether there are any.
        // The layers gather_image_content's probe reads after the push are the ones attach_sbom lists: read once.
        RecentLayers recent = new RecentLayers();
        RpmDatabaseProbe probe = new RpmDatabaseProbe(registry, recent);
        AttachProvenanceStep provenance = new AttachProvenanceStep(registry, environment, config);
        // The build's own layers are read from buildah's storage when Strata can (no blob downloaded after the push).
        GatherImageContentStep gather = new GatherImageContentStep(buildah, probe, buildah.storage().map(StoredLayers::new));
        AttachSbomStep sbom = new AttachSbomStep(buildah, registry, environment, recent);
        // While the image is built: the attach steps' uploads opened and their writers warmed up, and the image the
        // primary tag points at read (tag_and_push judges it before it pushes). Opening the uploads only once the
        // manifest is read back was measured too: no better (docs/benchmarks.md, supply chain, fifth pass).
        EarlyStart openingUploads = (state, context) -> Attach.openUploads(state, context, registry, target.host());
        // Once the pushed manifest is read back, while the other tags are set: the packages read, the SBOM (which waits
        // for them) and the provenance written and stored. The SBOM first: it opens the preparation both share.
        // Once both documents are begun, their referrers-tag update waits for them to be stored, beside the tags.
        EarlyStart listing = Attach.listingAhead(registry);
        EarlyStart afterThePush = gather.then(sbom).then(provenance).then(listing);
        // buildah_build's network is removed while tag_and_push pushes, which waits for the removal at its end.
        NetworkRemovals networkRemovals = new NetworkRemovals();
        // While the image is pushed, its own layers are read from buildah's storage; when they settle the packages, the
        // SBOM is begun as soon as the push ends, before the manifest is read back.
        TagAndPushStep tagAndPush = new TagAndPushStep(buildah, registry, target.host(), probe, networkRemovals,
                gather.whilePushing(), sbom.whenPushed().then(provenance).then(listing), afterThePush);
        // The build's network is made while the source is checked out and the other steps before buildah_build run.
        this.networksAhead = new NetworksAhead(networkRemovals);
        BuildahBuildStep buildahBuild = new BuildahBuildStep(buildah, config, target.host(), new AllowList(AllowList.SYSTEM),
                new DirectAssembly(registry), probe, networkRemovals, networksAhead);
        this.steps = Map.ofEntries(
                Map.entry("check_out_source", buildahBuild.before(new CheckOutSourceStep(config.strata().gitCacheDir()))),
                Map.entry("pin_base_images", buildahBuild.before(new PinBaseImagesStep(registry))),
                Map.entry("add_labels_in_dockerfile", new AddLabelsStep(config, releases)),
                Map.entry("inject_yum_repos", new InjectYumReposStep(LocalWorker::yumRepoClient)),
                Map.entry("add_build_env", new AddBuildEnvStep()),
                Map.entry("buildah_build", openingUploads.then(tagAndPush).before(buildahBuild)),
                Map.entry("tag_and_push", tagAndPush),
                Map.entry("gather_image_content", gather),
                Map.entry("attach_sbom", sbom),
                Map.entry("attach_provenance", provenance),
                Map.entry("export_koji_metadata", new ExportKojiMetadataStep(environment)));
    }

    /** inject_yum_repos follows redirects itself, so Basic credentials never go to another host. */
    static HttpClient yumRepoClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The platform a Koji platform name builds: the architecture of its osbs.conf section
     * ({@code [platform:x86_64]} {@code architecture = amd64}) when given, else Strata's own mapping.
     */
    public Platform platformOf(String kojiName) {
        return platformOf(config, kojiName);
    }

    /** {@link #platformOf(String)} under {@code config} (null: Strata's own mapping), before any worker exists. */
    public static Platform platformOf(Configuration config, String kojiName) {
        return Optional.ofNullable(config).map(c -> c.platforms().get(kojiName))
                .flatMap(section -> section.architecture())
                .map(Platform::linux)
                .orElseGet(() -> Platform.fromKojiArch(kojiName));
    }

    /** Other steps under the plan's names: for tests of what runs the steps. */
    public LocalWorker(Map<String, Step<WorkerState>> steps, UnaryOperator<String> redactor) {
        this.steps = Map.copyOf(steps);
        this.redactor = redactor;
        this.config = null;
        this.networksAhead = null;
    }

    public PlanExecutor<WorkerState> executor(BuildListener events, Clock clock) {
        return new PlanExecutor<>(steps, events, clock, redactor);
    }

    /**
     * Called once build {@code id} has ended, however it ended; returns once a network begun for its
     * buildah_build and not taken (the build failed or was cancelled before, or built without buildah)
     * is removed.
     */
    public void buildEnded(BuildId id) {
        if (networksAhead != null) {
            networksAhead.buildEnded(id);
        }
    }

    /**
     * An executor whose log lines also hide {@code buildSecrets} (the credentials of one build's request): a
     * build is about to run its steps. attach_sbom's writer is warmed up from here, not when the worker is made,
     * so an unchanged rebuild that build avoidance answers without running a step does not pay for it.
     */
    public PlanExecutor<WorkerState> executor(BuildListener events, Clock clock, SecretMasker buildSecrets) {
        if (config != null) {
            io.strata.worker.supply.SbomWriter.warmUpInBackground();
        }
        return new PlanExecutor<>(steps, events, clock, redactor(buildSecrets));
    }

    /** What every line of a build's log passes: the registry secrets and {@code buildSecrets} hidden. */
    public UnaryOperator<String> redactor(SecretMasker buildSecrets) {
        return line -> buildSecrets.mask(redactor.apply(line));
    }

    /**
     * Refuses, before anything is stored, a plan naming steps this worker does not have, giving
     * RUN steps the host's network where the configuration does not permit open network, or
     * signing provenance with a {@code strata_signing_key} that is not a usable key.
     */
    public void checkRunnable(Plan plan) throws StrataException {
        executor(event -> { }, Clock.systemUTC()).checkRunnable(plan);
        if (config != null) {
            BuildahBuildStep.checkPermitted(plan, config);
            // A key that cannot sign would fail the build after its image is pushed: refuse before anything runs.
            // Whatever the plan: an orchestrator's plan has no attach_provenance, its workers' plans do.
            if (config.signingKey().isPresent()) {
                io.strata.worker.supply.SigningKeys.readPrivate(config.signingKey().get());
            }
        }
    }
}
