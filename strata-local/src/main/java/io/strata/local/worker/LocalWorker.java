package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.event.BuildListener;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.Step;
import io.strata.core.plan.Plan;
import io.strata.core.store.BuildStore;
import io.strata.local.buildah.Buildah;
import io.strata.local.process.SecretMasker;
import io.strata.local.registry.RegistryClient;
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

    public LocalWorker(Configuration config, BuildStore store, Buildah buildah, RegistryClient registry,
            RegistryTarget target, BuildEnvironment environment, UnaryOperator<String> redactor) {
        this.redactor = redactor;
        ReleaseAllocator releases = new ReleaseAllocator() {
            @Override
            public int next(String component, String version) throws StrataException {
                return store.reserveNextRelease(component, version);
            }

            @Override
            public boolean claim(String component, String version, String release) throws StrataException {
                return store.reserveRelease(component, version, release);
            }
        };
        // inject_yum_repos follows redirects itself, so Basic credentials never go to another host.
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        this.steps = Map.of(
                "check_out_source", new CheckOutSourceStep(config.strata().gitCacheDir()),
                "pin_base_images", new PinBaseImagesStep(registry),
                "add_labels_in_dockerfile", new AddLabelsStep(config, releases),
                "inject_yum_repos", new InjectYumReposStep(http),
                "add_build_env", new AddBuildEnvStep(),
                "buildah_build", new BuildahBuildStep(buildah),
                "tag_and_push", new TagAndPushStep(buildah, registry, target.host()),
                "gather_image_content", new GatherImageContentStep(buildah),
                "export_koji_metadata", new ExportKojiMetadataStep(environment));
    }

    /** Other steps under the plan's names: for tests of what runs the steps. */
    LocalWorker(Map<String, Step<WorkerState>> steps, UnaryOperator<String> redactor) {
        this.steps = Map.copyOf(steps);
        this.redactor = redactor;
    }

    public PlanExecutor<WorkerState> executor(BuildListener events, Clock clock) {
        return new PlanExecutor<>(steps, events, clock, redactor);
    }

    /** An executor whose log lines also hide {@code buildSecrets} (the credentials of one build's request). */
    public PlanExecutor<WorkerState> executor(BuildListener events, Clock clock, SecretMasker buildSecrets) {
        return new PlanExecutor<>(steps, events, clock, redactor(buildSecrets));
    }

    /** What every line of a build's log passes: the registry secrets and {@code buildSecrets} hidden. */
    UnaryOperator<String> redactor(SecretMasker buildSecrets) {
        return line -> buildSecrets.mask(redactor.apply(line));
    }

    /** Refuses, before anything is stored, a plan naming steps this worker does not have. */
    public void checkRunnable(Plan plan) throws StrataException {
        executor(event -> { }, Clock.systemUTC()).checkRunnable(plan);
    }
}
