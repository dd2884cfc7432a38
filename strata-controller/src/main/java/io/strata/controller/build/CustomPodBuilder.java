package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.ControllerSettings;
import java.util.List;
import java.util.Optional;

/** Builds in a Pod of its own ({@code build-R}) running buildah; the digest comes back through {@code digest-R}. */
public final class CustomPodBuilder implements ImageBuilder {
    private final KubernetesClient client;
    private final ControllerSettings settings;

    public CustomPodBuilder(KubernetesClient client, ControllerSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public void start(LayeredBuild build) {
        Pod pod = new PodBuilder().withNewMetadata().withName(build.names().builder()).withNamespace(NAMESPACE)
                .withLabels(build.labels()).withOwnerReferences(build.owners()).endMetadata()
                .withSpec(BuilderPodSpec.of(build, settings)).build();
        if (pods(build).get() == null) {
            KubeCalls.createIgnoringConflict(client.pods().inNamespace(NAMESPACE).resource(pod));
        }
    }

    private io.fabric8.kubernetes.client.dsl.PodResource pods(LayeredBuild build) {
        return client.pods().inNamespace(NAMESPACE).withName(build.names().builder());
    }

    @Override
    public BuildProgress progress(LayeredBuild build) {
        Pod pod = pods(build).get();
        if (pod == null) {
            return new BuildProgress.Absent();
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new BuildProgress.Interrupted("pod " + NAMESPACE + "/" + build.names().builder() + " was deleted before it ended");
        }
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
        return switch (phase) {
            case "Running" -> new BuildProgress.Running();
            case "Succeeded" -> PublishedDigest.of(client, build);
            case "Failed" -> new BuildProgress.Failed("BUILD_FAILED", "pod " + NAMESPACE + "/" + build.names().builder() + " failed"
                    + terminated(pod).map(t -> " (exit code " + t.getExitCode() + (t.getReason() == null ? "" : ", " + t.getReason()) + ")")
                            .orElse("") + ": see its log");
            default -> new BuildProgress.Pending();
        };
    }

    static Optional<ContainerStateTerminated> terminated(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        return statuses == null ? Optional.empty() : statuses.stream()
                .map(status -> status.getState() == null ? null : status.getState().getTerminated())
                .filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public void remove(LayeredBuild build) {
        pods(build).delete();
    }
}
