package io.strata.controller.osbuild;

import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfigBuilder;
import io.strata.controller.ControllerSettings;
import io.strata.controller.MockCluster;
import io.strata.controller.StrataController;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.Eventually;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MachineOSConfig/MachineOSBuild path on the mock API server with JOSDK running it; the tests
 * play the Job controller, moving the Job's status by hand. The push spec's registry refuses
 * connections, so "is the image still there?" has no answer and a finished build is kept.
 */
class MachineOSConfigTest {
    static final String SHA = "sha256:" + "cd".repeat(32);
    static final String PUSH_SPEC = "127.0.0.1:1/os/layered:latest";

    MockCluster cluster;
    KubernetesClient client;
    StrataController controller;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.start();
        client = cluster.client();
        cluster.machineConfig("rendered-worker-1", Map.of("/etc/hello", "hello\n"));
        cluster.machineConfig("rendered-worker-2", Map.of("/etc/hello", "hello again\n"));
        cluster.inputs("registry.example/os/base:1", "registry.example/unused:latest", null);
        cluster.pool("worker", "rendered-worker-1", false);
        controller = StrataController.start(client, ControllerSettings.defaults(), new PushedImages(RegistryClientConfig.defaults()));
    }

    @AfterEach
    void stop() {
        controller.close();
        cluster.close();
    }

    MachineOSConfig createConfig() {
        return createConfig("worker");
    }

    MachineOSConfig createConfig(String pool) {
        MachineOSConfig config = new MachineOSConfigBuilder().withNewMetadata().withName(pool).endMetadata()
                .withNewSpec().withNewMachineConfigPool(pool).withNewImageBuilder("Job")
                .withNewBaseImagePullSecret("base-pull").withNewRenderedImagePushSecret("final-push")
                .withRenderedImagePushSpec(PUSH_SPEC)
                .addNewContainerFile().withContainerfileArch("NoArch").withContent("RUN echo extra > /etc/extra").endContainerFile()
                .addNewContainerFile().withContainerfileArch("ARM64").withContent("RUN echo arm > /etc/arm").endContainerFile()
                .endSpec().build();
        return client.resource(config).create();
    }

    @Test
    void aMachineOSConfigBuildsThroughAJobAndShowsTheImage() {
        createConfig();
        MachineOSBuild build = awaitBuild("Prepared");
        String name = build.getMetadata().getName();
        assertThat(name).matches("worker-[0-9a-f]{16}");
        assertThat(build.getSpec().getMachineConfig().getName()).isEqualTo("rendered-worker-1");
        assertThat(build.getSpec().getRenderedImagePushSpec()).isEqualTo("127.0.0.1:1/os/layered:latest");
        assertThat(build.getStatus().getBuildStart()).isNotNull();
        assertThat(build.getStatus().getBuilder().getJob().getName()).isEqualTo("build-" + name);
        assertThat(build.getMetadata().getFinalizers()).isNotEmpty();
        Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName("build-" + name).get();
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(3);
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("containerfile-" + name).get().getData().get("Dockerfile"))
                .contains("FROM registry.example/os/base:1", "RUN echo extra > /etc/extra");
        Eventually.until("the MachineOSConfig names its build", () -> {
            MachineOSConfig config = client.resources(MachineOSConfig.class).withName("worker").get();
            return config.getStatus() != null && config.getStatus().getMachineOSBuild() != null
                    && name.equals(config.getStatus().getMachineOSBuild().getName()) && config.getStatus().getObservedGeneration() != null;
        });

        jobStatus("build-" + name, 1, null);
        awaitBuild("Building");
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName("digest-" + name)
                .endMetadata().withData(Map.of("digest", SHA)).build()).create();
        jobStatus("build-" + name, 0, "Complete");
        build = awaitBuild("Succeeded");
        assertThat(build.getStatus().getDigestedImagePushSpec()).isEqualTo("127.0.0.1:1/os/layered@" + SHA);
        assertThat(build.getStatus().getBuildEnd()).isNotNull();
        Eventually.until("the MachineOSConfig shows the image", () -> ("127.0.0.1:1/os/layered@" + SHA)
                .equals(client.resources(MachineOSConfig.class).withName("worker").get().getStatus().getCurrentImagePullSpec()));
        Eventually.until("the Job and ConfigMaps removed", () -> client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().isEmpty()
                && client.configMaps().inNamespace(NAMESPACE).withLabel(OsBuildLabels.MACHINE_OS_BUILD).list().getItems().isEmpty());
        // The push spec's registry refuses connections: whether the image is still there cannot be told, and is not assumed.
        Condition verified = Eventually.until("ImageVerified", () -> client.resources(MachineOSConfig.class).withName("worker").get()
                .getStatus().getConditions().stream().filter(c -> "ImageVerified".equals(c.getType())).findFirst().orElse(null),
                c -> c != null && "Unknown".equals(c.getStatus()));
        assertThat(verified.getReason()).isEqualTo("IMAGE_CHECK_FAILED");
        assertThat(verified.getMessage()).contains("cannot tell whether 127.0.0.1:1/os/layered@" + SHA + " is still there");
    }

    @Test
    void onePoolOfTwoArchitecturesRunsAJobPerArchitectureAndOneFailingFailsTheBuildNamingIt() {
        cluster.poolOnNodes("multi", "rendered-worker-1", "node-role.kubernetes.io/multi", List.of("arm64", "amd64"));
        createConfig("multi");
        MachineOSBuild build = awaitBuild("Prepared");
        String name = build.getMetadata().getName();
        assertThat(build.getMetadata().getAnnotations()).containsEntry("strata.io/architectures", "amd64,arm64");
        for (String arch : List.of("amd64", "arm64")) {
            Job job = Eventually.until("Job of " + arch, () -> client.batch().v1().jobs().inNamespace(NAMESPACE).withName("build-" + name + "-" + arch)
                    .get(), j -> j != null);
            var pod = job.getSpec().getTemplate().getSpec();
            assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/arch", arch));
            assertThat(pod.getContainers().getFirst().getArgs()).contains("linux/" + arch, "127.0.0.1:1/os/layered:" + name + "-" + arch);
        }
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("containerfile-" + name + "-arm64").get().getData().get("Dockerfile"))
                .contains("RUN echo extra > /etc/extra", "RUN echo arm > /etc/arm");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("containerfile-" + name + "-amd64").get().getData().get("Dockerfile"))
                .contains("RUN echo extra > /etc/extra").doesNotContain("/etc/arm");

        jobStatus("build-" + name + "-amd64", 1, null);
        MachineOSBuild building = awaitBuild("Building");
        assertThat(condition(building, "Building").getMessage()).isEqualTo("building (amd64 Building, arm64 Pending)");
        jobStatus("build-" + name + "-arm64", 0, "Failed");
        MachineOSBuild failed = awaitBuild("Failed");
        assertThat(condition(failed, "Failed").getReason()).isEqualTo("BUILD_FAILED");
        assertThat(condition(failed, "Failed").getMessage()).startsWith("architecture arm64: Job " + NAMESPACE + "/build-" + name
                + "-arm64 failed (BackoffLimitExceeded)");
        assertThat(failed.getStatus().getDigestedImagePushSpec()).as("no index").isNull();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perArch = (List<Map<String, Object>>) failed.getStatus().getAdditionalProperties().get("architectures");
        assertThat(perArch).extracting(m -> m.get("architecture") + " " + m.get("state")).containsExactly("amd64 Interrupted", "arm64 Failed");
        Eventually.until("the other architecture's Job stopped", () -> client.batch().v1().jobs().inNamespace(NAMESPACE)
                .withName("build-" + name + "-amd64").get() == null);
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName("build-" + name + "-arm64").get()).as("kept for debugging")
                .isNotNull();
    }

    @Test
    void aNewMachineConfigSupersedesTheRunningBuildAndGoingBackReusesTheFinishedOne() {
        createConfig();
        String first = awaitBuild("Prepared").getMetadata().getName();
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName("digest-" + first)
                .endMetadata().withData(Map.of("digest", SHA)).build()).create();
        jobStatus("build-" + first, 0, "Complete");
        awaitBuildNamed(first, "Succeeded");

        renderedConfig("rendered-worker-2");
        String second = Eventually.until("a second build", () -> builds().stream().map(b -> b.getMetadata().getName())
                .filter(n -> !n.equals(first)).findFirst().orElse(null), n -> n != null);
        awaitBuildNamed(second, "Prepared");
        jobStatus("build-" + second, 1, null);
        awaitBuildNamed(second, "Building");

        renderedConfig("rendered-worker-1");
        MachineOSBuild interrupted = awaitBuildNamed(second, "Interrupted");
        assertThat(condition(interrupted, "Interrupted").getMessage()).isEqualTo("superseded by MachineOSBuild " + first);
        Eventually.until("the superseded Job deleted", () -> client.batch().v1().jobs().inNamespace(NAMESPACE).withName("build-" + second)
                .get() == null);
        assertThat(builds()).extracting(b -> b.getMetadata().getName()).as("no third build: the first is reused")
                .containsExactlyInAnyOrder(first, second);
        Eventually.until("the MachineOSConfig points at the reused build", () -> first.equals(
                client.resources(MachineOSConfig.class).withName("worker").get().getStatus().getMachineOSBuild().getName()));
    }

    @Test
    void failureIsTerminalADeletedJobInterruptsAndRebuildStartsAgain() {
        createConfig();
        String name = awaitBuild("Prepared").getMetadata().getName();
        jobStatus("build-" + name, 0, "Failed");
        MachineOSBuild failed = awaitBuild("Failed");
        assertThat(condition(failed, "Failed").getReason()).isEqualTo("BUILD_FAILED");
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName("build-" + name).get()).as("kept for debugging").isNotNull();

        Set<String> made = ConcurrentHashMap.newKeySet();
        Watch watch = client.resources(MachineOSBuild.class).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, MachineOSBuild resource) {
                made.add(resource.getMetadata().getUid());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        cluster.edit(MachineOSConfig.class, "worker", config -> config.getMetadata().setAnnotations(Map.of(MachineOSConfigReconciler.REBUILD_ANNOTATION, "")));
        Eventually.until("a fresh build of the same name", () -> {
            MachineOSBuild again = client.resources(MachineOSBuild.class).withName(name).get();
            return again != null && !again.getMetadata().getUid().equals(failed.getMetadata().getUid())
                    && condition(again, "Prepared") != null && "True".equals(condition(again, "Prepared").getStatus());
        });
        Eventually.until("the rebuild annotation removed", () -> {
            Map<String, String> annotations = client.resources(MachineOSConfig.class).withName("worker").get().getMetadata().getAnnotations();
            return annotations == null || !annotations.containsKey(MachineOSConfigReconciler.REBUILD_ANNOTATION);
        });

        jobStatus("build-" + name, 1, null);
        awaitBuild("Building");
        watch.close();
        // One rebuild, one new build: a reconcile that read the annotation late once deleted the new one too.
        assertThat(made).as("the failed build and exactly one rebuilt one").hasSize(2).contains(failed.getMetadata().getUid());
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("build-" + name).delete();
        assertThat(condition(awaitBuild("Interrupted"), "Interrupted").getReason()).isEqualTo("JOB_DELETED");

        client.resources(MachineOSConfig.class).withName("worker").delete();
        Eventually.until("everything of the MachineOSConfig removed", () -> builds().isEmpty()
                && client.resources(MachineOSConfig.class).withName("worker").get() == null
                && client.configMaps().inNamespace(NAMESPACE).withLabel(OsBuildLabels.MACHINE_OS_BUILD).list().getItems().isEmpty());
    }

    @Test
    void aMachineOSConfigWithBadInputsIsDegradedAndBuildsNothing() {
        MachineOSConfig config = new MachineOSConfigBuilder().withNewMetadata().withName("worker").endMetadata()
                .withNewSpec().withNewMachineConfigPool("worker").withNewImageBuilder("Job")
                .withNewBaseImagePullSecret("base-pull").withNewRenderedImagePushSecret("nowhere")
                .withRenderedImagePushSpec(PUSH_SPEC).endSpec().build();
        client.resource(config).create();
        Condition degraded = Eventually.until("Degraded", () -> client.resources(MachineOSConfig.class).withName("worker").get().getStatus()
                .getConditions().get(0), c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("BUILD_SECRET_MISSING");
        assertThat(degraded.getMessage()).contains("Secret openshift-machine-config-operator/nowhere (named by MachineOSConfig worker)");
        assertThat(builds()).isEmpty();
    }

    // --- the tests' Job controller and probes

    void renderedConfig(String rendered) {
        cluster.render("worker", rendered);
    }

    void jobStatus(String name, int active, String condition) {
        Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
        JobStatusBuilder status = new JobStatusBuilder().withActive(active);
        if (condition != null) {
            status.withConditions(new JobConditionBuilder().withType(condition).withStatus("True")
                    .withReason(condition.equals("Failed") ? "BackoffLimitExceeded" : null).build());
        }
        job.setStatus(status.build());
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();
    }

    List<MachineOSBuild> builds() {
        return client.resources(MachineOSBuild.class).list().getItems();
    }

    MachineOSBuild awaitBuild(String type) {
        return Eventually.until("a MachineOSBuild " + type, () -> builds().stream()
                .filter(b -> condition(b, type) != null && "True".equals(condition(b, type).getStatus())).findFirst().orElse(null),
                b -> b != null);
    }

    MachineOSBuild awaitBuildNamed(String name, String type) {
        return Eventually.until("MachineOSBuild " + name + " " + type, () -> client.resources(MachineOSBuild.class).withName(name).get(),
                b -> b != null && condition(b, type) != null && "True".equals(condition(b, type).getStatus()));
    }

    static Condition condition(MachineOSBuild build, String type) {
        if (build.getStatus() == null || build.getStatus().getConditions() == null) {
            return null;
        }
        return build.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
