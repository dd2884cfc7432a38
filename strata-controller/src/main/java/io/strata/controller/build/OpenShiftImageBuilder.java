package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildBuilder;
import io.fabric8.openshift.api.model.BuildStatus;

/**
 * Builds with the OpenShift Build API: a Build {@code build-R} (docker strategy, no source but the two
 * ConfigMaps: the Dockerfile at the context's root, the MachineConfig under {@code machineconfig/})
 * whose output is pushed to the final image pullspec with the push secret.
 */
public final class OpenShiftImageBuilder implements ImageBuilder {
    private final KubernetesClient client;

    public OpenShiftImageBuilder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void start(LayeredBuild build) {
        if (resource(build).get() != null) {
            return;
        }
        Build object = new BuildBuilder().withNewMetadata().withName(build.names().builder()).withNamespace(NAMESPACE)
                .withLabels(build.labels()).withOwnerReferences(build.owners()).endMetadata()
                .withNewSpec()
                .withNewSource().withType("None")
                .addNewConfigMap().withNewConfigMap(build.names().dockerfile()).endConfigMap()
                .addNewConfigMap().withNewConfigMap(build.names().machineConfig())
                .withDestinationDir(ContainerfileRenderer.CONTEXT_DIRECTORY).endConfigMap()
                .endSource()
                .withNewStrategy().withType("Docker").withNewDockerStrategy().withDockerfilePath("Dockerfile").withNoCache(true)
                .withForcePull(true).withNewPullSecret(build.inputs().baseImagePullSecret()).endDockerStrategy().endStrategy()
                .withNewOutput().withNewTo().withKind("DockerImage").withName(build.inputs().finalImage().toString()).endTo()
                .withNewPushSecret(build.inputs().finalImagePushSecret()).endOutput()
                .endSpec().build();
        KubeCalls.createIgnoringConflict(client.resources(Build.class).inNamespace(NAMESPACE).resource(object));
    }

    private Resource<Build> resource(LayeredBuild build) {
        return client.resources(Build.class).inNamespace(NAMESPACE).withName(build.names().builder());
    }

    @Override
    public BuildProgress progress(LayeredBuild build) {
        Build object = resource(build).get();
        if (object == null) {
            return new BuildProgress.Absent();
        }
        BuildStatus status = object.getStatus();
        String phase = status == null || status.getPhase() == null ? "New" : status.getPhase();
        String said = "Build " + NAMESPACE + "/" + build.names().builder() + " " + phase.toLowerCase(java.util.Locale.ROOT)
                + (status == null || status.getMessage() == null ? "" : ": " + status.getMessage());
        return switch (phase) {
            case "Running" -> new BuildProgress.Running();
            case "Complete" -> digest(status).<BuildProgress>map(BuildProgress.Succeeded::new)
                    .orElse(new BuildProgress.Failed("BUILD_DIGEST_MISSING", said + " without an output digest (status.output.to.imageDigest)"));
            case "Failed", "Error" -> new BuildProgress.Failed("BUILD_FAILED", said + (status.getReason() == null ? "" : " (" + status.getReason() + ")"));
            case "Cancelled" -> new BuildProgress.Interrupted(said);
            default -> new BuildProgress.Pending();
        };
    }

    private static java.util.Optional<String> digest(BuildStatus status) {
        return java.util.Optional.ofNullable(status.getOutput()).map(o -> o.getTo()).map(to -> to.getImageDigest())
                .filter(d -> d.startsWith("sha256:"));
    }

    @Override
    public void remove(LayeredBuild build) {
        resource(build).delete();
    }
}
