package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.event.BuildListener;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.Step;
import io.strata.core.plan.Plan;
import io.strata.worker.assembly.DirectAssembly;
import io.strata.worker.assembly.RpmDatabaseProbe;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.network.AllowList;
import io.strata.worker.process.SecretMasker;
import io.strata.registry.RegistryClient;
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

    public LocalWorker(Configuration config, ReleaseAllocator releases, Buildah buildah, RegistryClient registry,
            RegistryTarget target, BuildEnvironment environment, UnaryOperator<String> redactor) {
        this.redactor = redactor;
        this.config = config;
        // inject_yum_repos follows redirects itself, so Basic credentials never go to another host.
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        this.steps = Map.of(
                "check_out_source", new CheckOutSourceStep(config.strata().gitCacheDir()),
                "pin_base_images", new PinBaseImagesStep(registry),
                "add_labels_in_dockerfile", new AddLabelsStep(config, releases),
                "inject_yum_repos", new InjectYumReposStep(http),
                "add_build_env", new AddBuildEnvStep(),
                "buildah_build", new BuildahBuildStep(buildah, config, target.host(),
                        new AllowList(AllowList.SYSTEM), new DirectAssembly(registry)),
                "tag_and_push", new TagAndPushStep(buildah, registry, target.host()),
                "gather_image_content", new GatherImageContentStep(buildah, new RpmDatabaseProbe(registry)),
                "export_koji_metadata", new ExportKojiMetadataStep(environment));
    }

    /** Other steps under the plan's names: for tests of what runs the steps. */
    public LocalWorker(Map<String, Step<WorkerState>> steps, UnaryOperator<String> redactor) {
        this.steps = Map.copyOf(steps);
        this.redactor = redactor;
        this.config = null;
    }

    public PlanExecutor<WorkerState> executor(BuildListener events, Clock clock) {
        return new PlanExecutor<>(steps, events, clock, redactor);
    }

    /** An executor whose log lines also hide {@code buildSecrets} (the credentials of one build's request). */
    public PlanExecutor<WorkerState> executor(BuildListener events, Clock clock, SecretMasker buildSecrets) {
        return new PlanExecutor<>(steps, events, clock, redactor(buildSecrets));
    }

    /** What every line of a build's log passes: the registry secrets and {@code buildSecrets} hidden. */
    public UnaryOperator<String> redactor(SecretMasker buildSecrets) {
        return line -> buildSecrets.mask(redactor.apply(line));
    }

    /**
     * Refuses, before anything is stored, a plan naming steps this worker does not have, or giving
     * RUN steps the host's network where the configuration does not permit open network.
     */
    public void checkRunnable(Plan plan) throws StrataException {
        executor(event -> { }, Clock.systemUTC()).checkRunnable(plan);
        if (config != null) {
            BuildahBuildStep.checkPermitted(plan, config);
        }
    }
}
