package io.strata.controller;

import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static io.strata.controller.MachineConfigNames.NEWEST_IMAGE_ANNOTATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolCondition;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfigBuilder;
import io.strata.controller.kubelet.DockerStrategyBuilds;
import io.strata.controller.kubelet.OsBaseImage;
import io.strata.controller.kubelet.ReleaseGate;
import io.strata.controller.kubelet.TestJobs;
import io.strata.controller.osbuild.PushedImages;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.BuildParts;
import io.strata.testkit.Eventually;
import io.strata.testkit.TempDirs;
import io.strata.testkit.kube.KubeletImage;
import io.strata.testkit.kube.TestKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real layered builds: the controller on the mock API server, the test kubelet running its build
 * pods (buildah, vfs) as local processes, the base OS image (busybox with a stand-in for Ignition)
 * in the test registry, and the pushed image unpacked and checked for the MachineConfig's files.
 * One set of parts for the class; each test has its own pool and rendered MachineConfigs.
 */
class LayeredBuildsIT {
    static final String BUILDER_IMAGE = "strata-test/buildah";

    static BuildParts parts;
    static MockCluster cluster;
    static KubernetesClient client;
    static ReleaseGate gate;
    static TestKubelet kubelet;
    static TestJobs jobs;
    static StrataController controller;
    static String baseImage;
    static ControllerSettings settings = ControllerSettings.defaults().withTlsVerify(false).withBuilderImage(BUILDER_IMAGE);

    @BeforeAll
    static void start() throws Exception {
        parts = BuildParts.start();
        baseImage = OsBaseImage.make(parts, "base/os:1");
        cluster = MockCluster.start();
        client = cluster.client();
        gate = ReleaseGate.start();
        KubeletImage shell = KubeletImage.commands(Map.of("/bin/sh", Path.of("/bin/sh")));
        kubelet = TestKubelet.on(cluster.fixture()).architectures("amd64", "arm64").image(BUILDER_IMAGE, shell).image(DockerStrategyBuilds.IMAGE, shell)
                .env("KUBECONFIG", cluster.fixture().kubeconfig().toString())
                .builds(new DockerStrategyBuilds(client, false)).start();
        jobs = TestJobs.start(client, NAMESPACE);
        controller = startController();
    }

    static StrataController startController() throws Exception {
        return StrataController.start(client, settings, new PushedImages(RegistryClientConfig.defaults()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {controller, jobs, kubelet, gate, cluster, parts}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void theCustomPodBuilderPushesAnImageHoldingTheMachineConfigsFilesAndThePoolFollowsIt() throws Exception {
        cluster.inputs(baseImage, parts.registry().reference("os/pod:latest"), "custom-pod-builder");
        cluster.machineConfigWithSources("rendered-pod-1", Map.of("/etc/hello", data("hello from strata\n"),
                "/etc/strata-test/hold", data(gate.url("pod-1"))));
        List<String> seen = followConditions("pod-pool");
        cluster.pool("pod-pool", "rendered-pod-1", true);

        awaitCondition("pod-pool", "Building", "build-rendered-pod-1");
        gate.release("pod-1");
        MachineConfigPoolCondition success = awaitCondition("pod-pool", "BuildSuccess", "build-rendered-pod-1");

        String image = cluster.pool("pod-pool").getMetadata().getAnnotations().get(NEWEST_IMAGE_ANNOTATION);
        assertThat(image).startsWith(parts.registry().host() + "/os/pod@sha256:");
        assertThat(success.getMessage()).isEqualTo("build-rendered-pod-1: pushed " + image);
        assertThat(fileIn(image, "etc/hello")).isEqualTo("hello from strata\n");
        assertThat(seen).containsSubsequence("BuildPending", "Building", "BuildSuccess");
        Eventually.until("ConfigMaps, digest ConfigMap and pod removed", () -> Objects.isNull(configMap("dockerfile-rendered-pod-1"))
                && configMap("mc-rendered-pod-1") == null && configMap("digest-rendered-pod-1") == null
                && client.pods().inNamespace(NAMESPACE).withName("build-rendered-pod-1").get() == null);
    }

    @Test
    void theOpenShiftBuilderPushesThroughADockerStrategyBuild() throws Exception {
        cluster.inputs(baseImage, parts.registry().reference("os/build:latest"), null);
        cluster.machineConfig("rendered-build-1", Map.of("/etc/hello", "hello from a Build\n", "/etc/motd", "layered\n"));
        List<String> seen = followConditions("build-pool");
        cluster.pool("build-pool", "rendered-build-1", true);

        awaitCondition("build-pool", "BuildSuccess", "build-rendered-build-1");
        String image = cluster.pool("build-pool").getMetadata().getAnnotations().get(NEWEST_IMAGE_ANNOTATION);
        assertThat(image).startsWith(parts.registry().host() + "/os/build@sha256:");
        assertThat(fileIn(image, "etc/hello")).isEqualTo("hello from a Build\n");
        assertThat(fileIn(image, "etc/motd")).isEqualTo("layered\n");
        assertThat(seen).containsSubsequence("BuildPending", "BuildSuccess");
        assertThat(client.resources(Build.class).inNamespace(NAMESPACE).withName("build-rendered-build-1").get()).isNull();
    }

    @Test
    void aFailingBuildDegradesThePoolKeepsItsPartsAndTheNextMachineConfigBuilds() throws Exception {
        cluster.inputs(baseImage, parts.registry().reference("os/fail:latest"), "custom-pod-builder");
        cluster.machineConfig("rendered-fail-1", Map.of("/etc", "a file where a directory is\n"));
        cluster.pool("fail-pool", "rendered-fail-1", true);

        MachineConfigPoolCondition failed = awaitCondition("fail-pool", "BuildFailed", "build-rendered-fail-1");
        assertThat(failed.getReason()).isEqualTo("BUILD_FAILED");
        assertThat(failed.getMessage()).contains("pod openshift-machine-config-operator/build-rendered-fail-1 failed (exit code");
        assertThat(condition(cluster.pool("fail-pool"), "Degraded").getStatus()).isEqualTo("True");
        assertThat(configMap("dockerfile-rendered-fail-1")).isNotNull();
        assertThat(configMap("mc-rendered-fail-1")).isNotNull();
        assertThat(kubelet.log("build-rendered-fail-1")).contains("Is a directory");

        cluster.machineConfig("rendered-fail-2", Map.of("/etc/fixed", "fixed\n"));
        cluster.render("fail-pool", "rendered-fail-2");
        awaitCondition("fail-pool", "BuildSuccess", "build-rendered-fail-2");
        assertThat(fileIn(cluster.pool("fail-pool").getMetadata().getAnnotations().get(NEWEST_IMAGE_ANNOTATION), "etc/fixed"))
                .isEqualTo("fixed\n");
        assertThat(condition(cluster.pool("fail-pool"), "Degraded").getStatus()).isEqualTo("False");
    }

    @Test
    void aBuilderPodDeletedMidBuildEndsInterrupted() {
        cluster.inputs(baseImage, parts.registry().reference("os/deleted:latest"), "custom-pod-builder");
        cluster.machineConfigWithSources("rendered-deleted-1", Map.of("/etc/strata-test/hold", data(gate.url("never"))));
        cluster.pool("deleted-pool", "rendered-deleted-1", true);
        awaitCondition("deleted-pool", "Building", "build-rendered-deleted-1");

        client.pods().inNamespace(NAMESPACE).withName("build-rendered-deleted-1").delete();

        MachineConfigPoolCondition interrupted = awaitCondition("deleted-pool", "BuildInterrupted", "build-rendered-deleted-1");
        assertThat(interrupted.getReason()).isEqualTo("BUILD_INTERRUPTED");
        assertThat(configMap("mc-rendered-deleted-1")).as("kept for debugging").isNotNull();
        Eventually.until("the build's process stopped", () -> !kubelet.anyRunning());
    }

    /**
     * The controller as a separate process, killed with SIGKILL in the middle of a build (no shutdown hook,
     * no informer closed, nothing written on the way out), then another started (this class's own, fresh:
     * a second JVM would only add its start-up time): it adopts the running build by its fixed name
     * instead of starting a second one, and the pool ends built. This class's controller is stopped
     * while the process runs, so only the process reconciles.
     */
    @Test
    void aControllerKilledMidBuildIsReplacedByOneThatAdoptsTheRunningBuild() throws Exception {
        controller.close();
        controller = null;
        Path work = TempDirs.create("controller-killed");
        try {
            cluster.inputs(baseImage, parts.registry().reference("os/killed:latest"), "custom-pod-builder");
            cluster.machineConfigWithSources("rendered-killed-1", Map.of("/etc/hello", data("survived SIGKILL\n"),
                    "/etc/strata-test/hold", data(gate.url("killed-1"))));
            cluster.pool("killed-pool", "rendered-killed-1", true);

            ControllerProcess killed = ControllerProcess.start(cluster.fixture().kubeconfig(), BUILDER_IMAGE, work.resolve("killed.log"));
            try {
                awaitCondition("killed-pool", "Building", "build-rendered-killed-1", killed);
                assertThat(killed.kill()).as("ended by SIGKILL").isEqualTo(128 + 9);
            } finally {
                killed.close();
            }
            controller = startController();
            gate.release("killed-1");
            MachineConfigPoolCondition success = awaitCondition("killed-pool", "BuildSuccess", "build-rendered-killed-1");
            String image = cluster.pool("killed-pool").getMetadata().getAnnotations().get(NEWEST_IMAGE_ANNOTATION);
            assertThat(image).startsWith(parts.registry().host() + "/os/killed@sha256:");
            assertThat(success.getMessage()).isEqualTo("build-rendered-killed-1: pushed " + image);
            assertThat(kubelet.started()).as("one build pod, adopted, not a second").filteredOn("build-rendered-killed-1"::equals)
                    .hasSize(1);
            assertThat(fileIn(image, "etc/hello")).isEqualTo("survived SIGKILL\n");
        } finally {
            TempDirs.deleteRecursively(work);
            if (controller == null) {
                controller = startController();
            }
        }
    }

    @Test
    void aMachineOSConfigBuildsThroughAJobAndReusesAFinishedBuildWhoseImageExists() throws Exception {
        cluster.inputs(baseImage, parts.registry().reference("os/unused:latest"), null);
        cluster.machineConfig("rendered-mosc-1", Map.of("/etc/hello", "hello from a Job\n"));
        cluster.machineConfig("rendered-mosc-2", Map.of("/etc/hello", "second\n"));
        cluster.pool("mosc-pool", "rendered-mosc-1", false);
        client.resource(new MachineOSConfigBuilder().withNewMetadata().withName("mosc-pool").endMetadata()
                .withNewSpec().withNewMachineConfigPool("mosc-pool").withNewImageBuilder("Job")
                .withNewBaseImagePullSecret("base-pull").withNewRenderedImagePushSecret("final-push")
                .withRenderedImagePushSpec(parts.registry().reference("os/mosc:latest"))
                .addNewContainerFile().withContainerfileArch("NoArch").withContent("RUN echo extra > /etc/extra").endContainerFile()
                .endSpec().build()).create();

        MachineOSBuild first = awaitOsBuild("mosc-pool", "Succeeded");
        String image = first.getStatus().getDigestedImagePushSpec();
        assertThat(image).startsWith(parts.registry().host() + "/os/mosc@sha256:");
        assertThat(fileIn(image, "etc/hello")).isEqualTo("hello from a Job\n");
        assertThat(fileIn(image, "etc/extra")).isEqualTo("extra\n");
        Eventually.until("the MachineOSConfig shows the image", () -> image.equals(osConfig("mosc-pool").getStatus().getCurrentImagePullSpec()));

        setRendered("mosc-pool", "rendered-mosc-2");
        Eventually.until("a second build succeeded", () -> osBuilds("mosc-pool").stream().filter(b -> !b.getMetadata().getName()
                .equals(first.getMetadata().getName())).anyMatch(b -> isTrue(b, "Succeeded")));
        setRendered("mosc-pool", "rendered-mosc-1");
        Eventually.until("the first build current again", () -> image.equals(osConfig("mosc-pool").getStatus().getCurrentImagePullSpec())
                && first.getMetadata().getName().equals(osConfig("mosc-pool").getStatus().getMachineOSBuild().getName()));
        assertThat(osBuilds("mosc-pool")).as("reused, not rebuilt").hasSize(2);
        assertThat(osBuilds("mosc-pool").stream().filter(b -> b.getMetadata().getName().equals(first.getMetadata().getName())).findFirst()
                .orElseThrow().getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    }

    @Test
    void aPoolWhoseNodesSpanTwoArchitecturesGetsOneBuildPerArchitectureJoinedInAnImageIndex() throws Exception {
        List<String> arches = List.of("amd64", "arm64");
        String multiBase = OsBaseImage.makeMultiArch(parts, "base/os-multi:1", arches);
        cluster.inputs(multiBase, parts.registry().reference("os/unused:latest"), null);
        cluster.machineConfig("rendered-multi-1", Map.of("/etc/hello", "hello from every architecture\n"));
        cluster.poolOnNodes("multi-pool", "rendered-multi-1", "node-role.kubernetes.io/multi", arches);
        client.resource(new MachineOSConfigBuilder().withNewMetadata().withName("multi-pool").endMetadata()
                .withNewSpec().withNewMachineConfigPool("multi-pool").withNewImageBuilder("Job")
                .withNewBaseImagePullSecret("base-pull").withNewRenderedImagePushSecret("final-push")
                .withRenderedImagePushSpec(parts.registry().reference("os/multi:latest"))
                .addNewContainerFile().withContainerfileArch("NoArch").withContent("RUN uname -m > /etc/machine-arch").endContainerFile()
                .addNewContainerFile().withContainerfileArch("AMD64").withContent("RUN echo amd64 only > /etc/only").endContainerFile()
                .addNewContainerFile().withContainerfileArch("ARM64").withContent("RUN echo arm64 only > /etc/only").endContainerFile()
                .endSpec().build()).create();

        MachineOSBuild built = awaitOsBuild("multi-pool", "Succeeded");
        String name = built.getMetadata().getName();
        String image = built.getStatus().getDigestedImagePushSpec();
        assertThat(image).startsWith(parts.registry().host() + "/os/multi@sha256:");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perArch = (List<Map<String, Object>>) built.getStatus().getAdditionalProperties().get("architectures");
        assertThat(perArch).extracting(m -> m.get("architecture") + " " + m.get("state") + " " + m.get("job"))
                .containsExactly("amd64 Succeeded build-" + name + "-amd64", "arm64 Succeeded build-" + name + "-arm64");
        assertThat(kubelet.started()).as("one Job pod per architecture, each once")
                .filteredOn(pod -> pod.startsWith("build-" + name)).containsExactlyInAnyOrder("build-" + name + "-amd64-0", "build-" + name + "-arm64-0");

        try (var registry = new io.strata.registry.RegistryClient(RegistryClientConfig.defaults())) {
            var reference = io.strata.registry.ImageReference.parse(image);
            var index = (io.strata.registry.ManifestList) registry.fetch(reference);
            assertThat(index.mediaType()).isEqualTo(io.strata.registry.MediaTypes.OCI_INDEX);
            assertThat(index.platforms()).extracting(io.strata.registry.Platform::architecture).containsExactly("amd64", "arm64");
            for (String arch : arches) {
                var manifest = registry.manifest(reference, io.strata.registry.Platform.linux(arch));
                var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(registry.blobs().blob(reference, manifest.config().digest()));
                assertThat(config.path("architecture").asText()).as("config architecture of the " + arch + " image").isEqualTo(arch);
            }
        }
        assertThat(fileIn(image, "amd64", "etc/hello")).isEqualTo("hello from every architecture\n");
        assertThat(fileIn(image, "arm64", "etc/hello")).isEqualTo("hello from every architecture\n");
        assertThat(fileIn(image, "amd64", "etc/machine-arch")).as("RUN ran natively").isEqualTo("x86_64\n");
        assertThat(fileIn(image, "arm64", "etc/machine-arch")).as("RUN ran the arm64 busybox").isEqualTo("aarch64\n");
        assertThat(fileIn(image, "amd64", "etc/only")).isEqualTo("amd64 only\n");
        assertThat(fileIn(image, "arm64", "etc/only")).isEqualTo("arm64 only\n");
        Eventually.until("the MachineOSConfig shows the index", () -> image.equals(osConfig("multi-pool").getStatus().getCurrentImagePullSpec()));
    }

    // --- helpers

    static String data(String content) {
        return "data:;base64," + Base64.getEncoder().encodeToString(content.getBytes());
    }

    /** The content of {@code path} in the pushed image, read from its unpacked root file system. */
    static String fileIn(String image, String path) throws Exception {
        return fileIn(image, "amd64", path);
    }

    /** The content of {@code path} in {@code arch}'s image of {@code image} (an index, or one image). */
    static String fileIn(String image, String arch, String path) throws Exception {
        var buildah = parts.buildah();
        String container = buildah.buildah("from", "--arch", arch, "--tls-verify=false", "docker://" + image).strip();
        try {
            Path rootfs = Path.of(buildah.buildah("mount", container).strip());
            return Files.readString(rootfs.resolve(path));
        } finally {
            buildah.buildah("umount", container);
            buildah.buildah("rm", container);
        }
    }

    /** Every build condition the pool shows True, in the order the test saw them (repeats collapsed). */
    static List<String> followConditions(String pool) {
        List<String> seen = new CopyOnWriteArrayList<>();
        Watch watch = client.resources(MachineConfigPool.class).withName(pool).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, MachineConfigPool resource) {
                if (resource.getStatus() == null || resource.getStatus().getConditions() == null) {
                    return;
                }
                resource.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()) && !"Degraded".equals(c.getType()))
                        .map(MachineConfigPoolCondition::getType).findFirst()
                        .filter(type -> seen.isEmpty() || !seen.getLast().equals(type)).ifPresent(seen::add);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        watches.add(watch);
        return seen;
    }

    static final List<Watch> watches = new ArrayList<>();

    static MachineConfigPoolCondition awaitCondition(String pool, String type, String builder) {
        return awaitCondition(pool, type, builder, null);
    }

    /** As above; on failure the log of {@code process} (the controller running the build), when given, is shown too. */
    static MachineConfigPoolCondition awaitCondition(String pool, String type, String builder, ControllerProcess process) {
        try {
            return Eventually.until(type + " about " + builder + " on " + pool, () -> condition(cluster.pool(pool), type),
                    c -> c != null && "True".equals(c.getStatus()) && c.getMessage().startsWith(builder + ":"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\npool conditions: " + cluster.pool(pool).getStatus().getConditions()
                    + "\nbuilder log:\n" + kubelet.log(builder) + (process == null ? "" : "\ncontroller log:\n" + process.log()), e);
        }
    }

    static MachineConfigPoolCondition condition(MachineConfigPool pool, String type) {
        return pool.getStatus() == null || pool.getStatus().getConditions() == null ? null
                : pool.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static Object configMap(String name) {
        return client.configMaps().inNamespace(NAMESPACE).withName(name).get();
    }

    static void setRendered(String poolName, String rendered) {
        cluster.render(poolName, rendered);
    }

    static MachineOSConfig osConfig(String name) {
        return client.resources(MachineOSConfig.class).withName(name).get();
    }

    static List<MachineOSBuild> osBuilds(String config) {
        return client.resources(MachineOSBuild.class).list().getItems().stream()
                .filter(b -> config.equals(b.getSpec().getMachineOSConfig().getName())).toList();
    }

    static MachineOSBuild awaitOsBuild(String config, String type) {
        return Eventually.until("a MachineOSBuild of " + config + " " + type, () -> osBuilds(config).stream()
                .filter(b -> isTrue(b, type)).findFirst().orElse(null), Objects::nonNull);
    }

    static boolean isTrue(MachineOSBuild build, String type) {
        List<Condition> conditions = build.getStatus() == null ? null : build.getStatus().getConditions();
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
