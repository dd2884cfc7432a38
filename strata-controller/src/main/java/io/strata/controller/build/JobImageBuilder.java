package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.strata.controller.ControllerSettings;
import java.util.List;
import java.util.Optional;

/**
 * Builds in a batch Job ({@code build-NAME}) running the builder pod, retried up to the settings' limit
 * ({@code backoffLimit}): the MachineOSBuild path. Job conditions map to the build's: Complete with
 * a published digest is success, Failed (retries used up) is failure.
 */
public final class JobImageBuilder implements ImageBuilder {
    private final KubernetesClient client;
    private final ControllerSettings settings;

    public JobImageBuilder(KubernetesClient client, ControllerSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    private ScalableResource<Job> job(LayeredBuild build) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(build.names().builder());
    }

    @Override
    public void start(LayeredBuild build) {
        if (job(build).get() != null) {
            return;
        }
        Job job = new JobBuilder().withNewMetadata().withName(build.names().builder()).withNamespace(NAMESPACE)
                .withLabels(build.labels()).withOwnerReferences(build.owners()).endMetadata()
                .withNewSpec().withBackoffLimit(settings.jobRetries())
                .withNewTemplate().withNewMetadata().withLabels(build.labels()).endMetadata()
                .withSpec(BuilderPodSpec.of(build, settings)).endTemplate()
                .endSpec().build();
        KubeCalls.createIgnoringConflict(client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job));
    }

    @Override
    public BuildProgress progress(LayeredBuild build) {
        Job job = job(build).get();
        if (job == null) {
            return new BuildProgress.Absent();
        }
        JobStatus status = job.getStatus();
        if (status == null) {
            return new BuildProgress.Pending();
        }
        if (condition(status, "Complete").isPresent()) {
            return PublishedDigest.of(client, build);
        }
        Optional<JobCondition> failed = condition(status, "Failed");
        if (failed.isPresent()) {
            return new BuildProgress.Failed("BUILD_FAILED", "Job " + NAMESPACE + "/" + build.names().builder() + " failed"
                    + Optional.ofNullable(failed.get().getReason()).map(r -> " (" + r + ")").orElse("")
                    + Optional.ofNullable(failed.get().getMessage()).map(m -> ": " + m).orElse("") + "; see its pods' logs");
        }
        return status.getActive() != null && status.getActive() > 0 ? new BuildProgress.Running() : new BuildProgress.Pending();
    }

    private static Optional<JobCondition> condition(JobStatus status, String type) {
        List<JobCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        return conditions.stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    @Override
    public void remove(LayeredBuild build) {
        // Background propagation: the Job's pods go with it on a real cluster.
        job(build).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    }
}
