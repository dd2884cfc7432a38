package io.strata.controller.pool;

import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static io.strata.controller.MachineConfigNames.NEWEST_IMAGE_ANNOTATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildStatusBuilder;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolCondition;
import io.strata.controller.ControllerSettings;
import io.strata.controller.MachineConfigNames;
import io.strata.controller.MockCluster;
import io.strata.controller.StrataController;
import io.strata.controller.osbuild.PushedImages;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.Eventually;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool reconciler on the mock API server with JOSDK running it; the tests play the builder,
 * moving the Pod's or Build's status by hand. (PoolBuildsIT runs real builds.)
 */
class PoolReconcilerTest {
    static final String SHA = "sha256:" + "ab".repeat(32);

    MockCluster cluster;
    KubernetesClient client;
    StrataController controller;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start();
        client = cluster.client();
        cluster.machineConfig("rendered-worker-1", Map.of("/etc/hello", "hello\n"));
        cluster.machineConfig("rendered-worker-2", Map.of("/etc/hello", "hello again\n"));
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
        cluster.close();
    }

    void runController() throws Exception {
        controller = StrataController.start(client, ControllerSettings.defaults(), new PushedImages(RegistryClientConfig.defaults()));
    }

    @Test
    void aPoolWithoutTheLabelIsLeftAlone() throws Exception {
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "custom-pod-builder");
        cluster.pool("master", "rendered-worker-1", false);
        cluster.pool("worker", "rendered-worker-1", true);
        runController();

        awaitCondition("worker", "BuildPending");
        assertThat(cluster.pool("master").getStatus()).satisfiesAnyOf(s -> assertThat(s).isNull(),
                s -> assertThat(s.getConditions()).isNullOrEmpty());
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactly("build-rendered-worker-1");
    }

    @Test
    void withoutOpenShiftBuildsTheDefaultBuilderIsRefusedAndTheCustomPodBuilderRuns() throws Exception {
        cluster.fixture().failNext("GET", "/apis/build.openshift.io/v1/namespaces/[^/]+/builds", 404, 1); // a plain Kubernetes cluster
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", null);
        cluster.pool("worker", "rendered-worker-1", true);
        runController();

        assertThat(awaitReason("worker", "BUILD_CONFIG_INVALID").getMessage())
                .contains("this cluster does not serve OpenShift Builds: set imageBuilderType to custom-pod-builder");
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "custom-pod-builder");
        awaitCondition("worker", "BuildPending");
        assertThat(client.pods().inNamespace(NAMESPACE).withName("build-rendered-worker-1").get()).isNotNull();
    }

    @Test
    void aMissingBuildConfigDegradesThePoolNamingItAndStartsNoBuild() throws Exception {
        cluster.pool("worker", "rendered-worker-1", true);
        runController();

        MachineConfigPoolCondition degraded = awaitCondition("worker", "Degraded");
        assertThat(degraded.getReason()).isEqualTo("BUILD_CONFIG_MISSING");
        assertThat(degraded.getMessage()).contains("ConfigMap openshift-machine-config-operator/on-cluster-build-config does not exist");
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();

        // The missing input appears: the build starts without anything else happening to the pool.
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "custom-pod-builder");
        awaitCondition("worker", "BuildPending");
        assertThat(condition(cluster.pool("worker"), "Degraded")).get().extracting(MachineConfigPoolCondition::getStatus)
                .isEqualTo("False");
    }

    @Test
    void everyBadInputHasItsOwnReason() throws Exception {
        cluster.pool("worker", "rendered-worker-1", true);
        runController();
        cluster.inputs("registry.example/os/base:1", "registry.example/OS/Bad Name", null);
        assertThat(awaitReason("worker", "FINAL_IMAGE_PULLSPEC_INVALID").getMessage())
                .contains("on-cluster-build-config key finalImagePullspec");

        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "docker-daemon");
        assertThat(awaitReason("worker", "BUILD_CONFIG_INVALID").getMessage())
                .contains("imageBuilderType is \"docker-daemon\": use openshift-image-builder (the default) or custom-pod-builder");

        // Each step breaks the next input before it mends the last, so no build can start in between.
        client.secrets().inNamespace(NAMESPACE).withName("final-push").delete();
        cluster.configMap(MachineConfigNames.BUILD_CONFIG_MAP, Map.of(MachineConfigNames.BASE_IMAGE_PULL_SECRET_KEY, "base-pull",
                MachineConfigNames.FINAL_IMAGE_PUSH_SECRET_KEY, "final-push",
                MachineConfigNames.FINAL_IMAGE_PULLSPEC_KEY, "registry.example/os/layered:latest"));
        assertThat(awaitReason("worker", "BUILD_SECRET_MISSING").getMessage())
                .contains("Secret openshift-machine-config-operator/final-push (named by on-cluster-build-config key finalImagePushSecretName)");

        client.configMaps().inNamespace(NAMESPACE).withName(MachineConfigNames.OS_IMAGE_URL_CONFIG_MAP).delete();
        cluster.secret("final-push");
        assertThat(awaitReason("worker", "OS_IMAGE_CONFIG_MISSING").getMessage()).contains("machine-config-osimageurl does not exist");

        cluster.render("worker", "rendered-worker-9");
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", null);
        assertThat(awaitReason("worker", "RENDERED_CONFIG_MISSING").getMessage())
                .contains("MachineConfig rendered-worker-9 (spec.configuration.name of MachineConfigPool worker) does not exist");
        assertThat(client.resources(Build.class).inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void theCustomPodBuildMovesThePoolInLockstepAndCleansUpOnSuccess() throws Exception {
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "custom-pod-builder");
        cluster.pool("worker", "rendered-worker-1", true);
        runController();

        MachineConfigPoolCondition pending = awaitCondition("worker", "BuildPending");
        assertThat(pending.getMessage()).startsWith("build-rendered-worker-1:");
        assertThat(onlyTrue(cluster.pool("worker"))).containsExactly("BuildPending");
        Pod pod = client.pods().inNamespace(NAMESPACE).withName("build-rendered-worker-1").get();
        assertThat(pod.getSpec().getContainers().get(0).getCommand()).contains("/bin/sh", "-c");
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getConfigMap() == null ? v.getSecret().getSecretName()
                : v.getConfigMap().getName()).containsExactly("dockerfile-rendered-worker-1", "mc-rendered-worker-1", "base-pull", "final-push");
        ConfigMap dockerfile = client.configMaps().inNamespace(NAMESPACE).withName("dockerfile-rendered-worker-1").get();
        assertThat(dockerfile.getData().get("Dockerfile")).contains("FROM registry.example/os/base:1\n",
                "base64 -d /tmp/machineconfig.json.gz | gunzip > /etc/machine-config-daemon/currentconfig");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("mc-rendered-worker-1").get().getData())
                .containsKey("machineconfig.json.gz");

        podPhase("build-rendered-worker-1", "Running");
        awaitCondition("worker", "Building");
        assertThat(onlyTrue(cluster.pool("worker"))).containsExactly("Building");

        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName("digest-rendered-worker-1")
                .endMetadata().withData(Map.of("digest", SHA + "\n")).build()).create();
        podPhase("build-rendered-worker-1", "Succeeded");
        MachineConfigPoolCondition success = awaitCondition("worker", "BuildSuccess");
        assertThat(success.getMessage()).isEqualTo("build-rendered-worker-1: pushed registry.example/os/layered@" + SHA);
        assertThat(cluster.pool("worker").getMetadata().getAnnotations()).containsEntry(NEWEST_IMAGE_ANNOTATION,
                "registry.example/os/layered@" + SHA);
        Eventually.until("the build's ConfigMaps and pod removed", () -> client.configMaps().inNamespace(NAMESPACE)
                .withLabel(MachineConfigNames.POOL_LABEL, "worker").list().getItems().isEmpty()
                && client.configMaps().inNamespace(NAMESPACE).withName("digest-rendered-worker-1").get() == null
                && client.pods().inNamespace(NAMESPACE).withName("build-rendered-worker-1").get() == null);
        assertThat(onlyTrue(cluster.pool("worker"))).containsExactly("BuildSuccess");
    }

    @Test
    void aFailedOpenShiftBuildDegradesThePoolKeepsItsConfigMapsAndANewMachineConfigRetries() throws Exception {
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", null);
        cluster.pool("worker", "rendered-worker-1", true);
        runController();

        awaitCondition("worker", "BuildPending");
        Build build = client.resources(Build.class).inNamespace(NAMESPACE).withName("build-rendered-worker-1").get();
        assertThat(build.getSpec().getSource().getConfigMaps()).extracting(c -> c.getConfigMap().getName() + ":" + c.getDestinationDir())
                .containsExactly("dockerfile-rendered-worker-1:null", "mc-rendered-worker-1:machineconfig");
        assertThat(build.getSpec().getOutput().getTo().getName()).isEqualTo("registry.example/os/layered:latest");
        assertThat(build.getSpec().getOutput().getPushSecret().getName()).isEqualTo("final-push");
        assertThat(build.getSpec().getStrategy().getDockerStrategy().getPullSecret().getName()).isEqualTo("base-pull");

        buildPhase("build-rendered-worker-1", "Running");
        awaitCondition("worker", "Building");
        buildPhase("build-rendered-worker-1", "Failed");
        MachineConfigPoolCondition failed = awaitCondition("worker", "BuildFailed");
        assertThat(failed.getReason()).isEqualTo("BUILD_FAILED");
        assertThat(condition(cluster.pool("worker"), "Degraded")).get().satisfies(d -> {
            assertThat(d.getStatus()).isEqualTo("True");
            assertThat(d.getReason()).isEqualTo("BUILD_FAILED");
        });
        assertThat(onlyTrue(cluster.pool("worker"))).containsExactly("BuildFailed", "Degraded");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("dockerfile-rendered-worker-1").get()).isNotNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("mc-rendered-worker-1").get()).isNotNull();

        cluster.render("worker", "rendered-worker-2");
        MachineConfigPoolCondition retried = awaitConditionAbout("worker", "BuildPending", "build-rendered-worker-2");
        assertThat(retried.getStatus()).isEqualTo("True");
        assertThat(client.resources(Build.class).inNamespace(NAMESPACE).withName("build-rendered-worker-1").get())
                .as("the failed build stays for debugging").isNotNull();
    }

    @Test
    void aBuilderPodDeletedMidBuildInterruptsTheBuild() throws Exception {
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "custom-pod-builder");
        cluster.pool("worker", "rendered-worker-1", true);
        runController();
        awaitCondition("worker", "BuildPending");
        podPhase("build-rendered-worker-1", "Running");
        awaitCondition("worker", "Building");

        client.pods().inNamespace(NAMESPACE).withName("build-rendered-worker-1").delete();

        MachineConfigPoolCondition interrupted = awaitCondition("worker", "BuildInterrupted");
        assertThat(interrupted.getReason()).isEqualTo("BUILD_INTERRUPTED");
        assertThat(onlyTrue(cluster.pool("worker"))).containsExactly("BuildInterrupted", "Degraded");
        assertThat(client.pods().inNamespace(NAMESPACE).withName("build-rendered-worker-1").get()).as("not started again").isNull();
    }

    @Test
    void aBuildForASupersededMachineConfigIsCancelledAndRemovingTheLabelCleansUp() throws Exception {
        cluster.inputs("registry.example/os/base:1", "registry.example/os/layered:latest", "custom-pod-builder");
        cluster.pool("worker", "rendered-worker-1", true);
        runController();
        awaitCondition("worker", "BuildPending");
        podPhase("build-rendered-worker-1", "Running");
        awaitCondition("worker", "Building");

        cluster.render("worker", "rendered-worker-2");
        awaitConditionAbout("worker", "BuildPending", "build-rendered-worker-2");
        Eventually.until("the superseded build cancelled", () -> client.pods().inNamespace(NAMESPACE)
                .withName("build-rendered-worker-1").get() == null
                && client.configMaps().inNamespace(NAMESPACE).withName("mc-rendered-worker-1").get() == null);

        cluster.edit(MachineConfigPool.class, "worker", pool -> pool.getMetadata().setLabels(Map.of()));
        Eventually.until("everything of the pool removed", () -> client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty()
                && client.configMaps().inNamespace(NAMESPACE).withLabel(MachineConfigNames.POOL_LABEL).list().getItems().isEmpty()
                && onlyTrue(cluster.pool("worker")).isEmpty());
    }

    // --- the tests' builder and probes

    void podPhase(String name, String phase) {
        Pod pod = client.pods().inNamespace(NAMESPACE).withName(name).get();
        pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    void buildPhase(String name, String phase) {
        Build build = client.resources(Build.class).inNamespace(NAMESPACE).withName(name).get();
        build.setStatus(new BuildStatusBuilder().withPhase(phase).withReason("DockerBuildFailed").withMessage("Docker build strategy has failed.").build());
        client.resources(Build.class).inNamespace(NAMESPACE).resource(build).updateStatus();
    }

    MachineConfigPoolCondition awaitCondition(String pool, String type) {
        return awaitConditionAbout(pool, type, "");
    }

    /** {@code type} True with a message about {@code builder} (any, when empty). */
    MachineConfigPoolCondition awaitConditionAbout(String pool, String type, String builder) {
        return Eventually.until(type + " True about " + builder, () -> condition(cluster.pool(pool), type).orElse(null),
                c -> c != null && "True".equals(c.getStatus()) && (builder.isEmpty() || c.getMessage().startsWith(builder + ":")));
    }

    MachineConfigPoolCondition awaitReason(String pool, String reason) {
        return Eventually.until("Degraded " + reason + " on pool " + pool, () -> condition(cluster.pool(pool), "Degraded").orElse(null),
                c -> c != null && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
    }

    static Optional<MachineConfigPoolCondition> condition(MachineConfigPool pool, String type) {
        if (pool.getStatus() == null || pool.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pool.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static List<String> onlyTrue(MachineConfigPool pool) {
        if (pool.getStatus() == null || pool.getStatus().getConditions() == null) {
            return List.of();
        }
        return pool.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus())).map(MachineConfigPoolCondition::getType)
                .toList();
    }
}
