package io.strata.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildConfigBuilder;
import io.fabric8.openshift.api.model.BuildRequestBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test kubelet against the mock API server, with /bin/sh as the "image". */
class TestKubeletIT {
    private static final Path SH = Path.of("/bin/sh");
    private static MockKubeFixture cluster;
    private static TestKubelet kubelet;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = MockKubeFixture.start();
        kubelet = TestKubelet.on(cluster).image("shell", Map.of("sh", SH))
                .image("custom-builder", new KubeletImage.Local(java.util.List.of("sh", "-c"),
                        java.util.List.of("echo built $BUILD_NAME; echo \"$BUILD\" | grep -c custom-build-config"), Map.of("sh", SH)))
                .image("hungry", new KubeletImage.OomKilled())
                .env("FROM_TEST", "extra")
                .builds(new CustomStrategyBuilds())
                .start();
        client = cluster.newClient();
    }

    @AfterAll
    static void stop() {
        kubelet.close();
        cluster.close();
    }

    private static Pod pod(String name, String image, String script) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(image).withCommand("sh", "-c", script).endContainer().endSpec().build();
    }

    private static Pod await(String name, Predicate<Pod> condition) {
        return client.pods().withName(name).waitUntilCondition(p -> p != null && condition.test(p), 2, TimeUnit.MINUTES);
    }

    private static ContainerState state(Pod pod) {
        return pod.getStatus().getContainerStatuses().getFirst().getState();
    }

    @Test
    void runsThePodWithItsEnvironmentAndMountedFilesAndWritesStatusAndLogBack() {
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("greeting", "hello from a configmap").build()).create();
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("sec").endMetadata()
                .addToStringData("token", "s3cret").build()).create();
        Pod pod = new PodBuilder(pod("reader", "shell",
                "cat /etc/cfg/greeting; echo; cat $TOKEN_FILE; echo; echo env=$FROM_SECRET extra=$FROM_TEST; test -w /etc/sec/token || echo read-only; exit 3"))
                .editSpec().addNewVolume().withName("c").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
                .addNewVolume().withName("s").withNewSecret().withSecretName("sec").endSecret().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("c").withMountPath("/etc/cfg").endVolumeMount()
                .addNewVolumeMount().withName("s").withMountPath("/etc/sec").withReadOnly(true).endVolumeMount()
                .addNewEnv().withName("TOKEN_FILE").withValue("/etc/sec/token").endEnv()
                .addNewEnv().withName("FROM_SECRET").withNewValueFrom().withNewSecretKeyRef("token", "sec", false).endValueFrom().endEnv()
                .endContainer().endSpec().build();
        client.pods().resource(pod).create();

        Pod ended = await("reader", p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));

        assertThat(state(ended).getTerminated().getExitCode()).isEqualTo(3);
        assertThat(state(ended).getTerminated().getReason()).isEqualTo("Error");
        String log = client.pods().withName("reader").getLog();
        assertThat(log).contains("hello from a configmap", "s3cret", "env=s3cret extra=extra");
        if (!"root".equals(System.getProperty("user.name"))) {
            assertThat(log).contains("read-only");
        }
        assertThat(kubelet.log("reader")).isEqualTo(log);
    }

    /**
     * As a kubelet does: a mount whose Secret is missing is tried again, and the pod runs once the
     * Secret exists (the engine may replace a pod's Secret, delete then create, while the pod starts).
     */
    @Test
    void aPodWhoseSecretComesLaterWaitsInContainerCreatingThenRuns() {
        Pod pod = new PodBuilder(pod("late", "shell", "cat /etc/late/token"))
                .editSpec().addNewVolume().withName("s").withNewSecret().withSecretName("late-sec").endSecret().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("s").withMountPath("/etc/late").endVolumeMount()
                .endContainer().endSpec().build();
        client.pods().resource(pod).create();

        Pod waiting = await("late", p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && !p.getStatus().getContainerStatuses().isEmpty() && state(p).getWaiting() != null
                && state(p).getWaiting().getMessage() != null);
        assertThat(state(waiting).getWaiting().getMessage()).startsWith("MountVolume.SetUp failed: secret \"late-sec\" not found");
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("late-sec").endMetadata()
                .addToStringData("token", "arrived").build()).create();

        Pod ended = await("late", p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(client.pods().withName("late").getLog().strip()).isEqualTo("arrived");
    }

    @Test
    void aSucceedingPodEndsSucceededWithReasonCompleted() {
        client.pods().resource(pod("ok", "shell", "echo fine")).create();

        Pod ended = await("ok", p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));

        assertThat(state(ended).getTerminated().getReason()).isEqualTo("Completed");
        assertThat(client.pods().withName("ok").getLog()).isEqualTo("fine\n");
    }

    @Test
    void anUnknownImageStaysPendingWithErrImagePull() {
        client.pods().resource(pod("nothere", "registry.example/missing:1", "true")).create();

        Pod pending = await("nothere", p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && !p.getStatus().getContainerStatuses().isEmpty());

        assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(state(pending).getWaiting().getReason()).isEqualTo("ErrImagePull");
        assertThatThrownBy(() -> client.pods().withName("nothere").getLog()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("waiting to start");
    }

    @Test
    void aPodForAnotherArchitectureStaysUnschedulable() {
        client.pods().resource(new PodBuilder(pod("s390", "shell", "true")).editSpec().addToNodeSelector("kubernetes.io/arch", "s390x")
                .endSpec().build()).create();

        Pod pending = await("s390", p -> p.getStatus() != null && p.getStatus().getConditions() != null && !p.getStatus().getConditions().isEmpty());

        assertThat(pending.getStatus().getConditions().getFirst().getReason()).isEqualTo("Unschedulable");
    }

    @Test
    void anOomKilledPodFailsWithReasonOomKilled() {
        client.pods().resource(pod("oom", "hungry", "true")).create();

        Pod ended = await("oom", p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));

        assertThat(state(ended).getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(state(ended).getTerminated().getExitCode()).isEqualTo(137);
    }

    @Test
    void deletingARunningPodStopsItsProcess() throws Exception {
        client.pods().resource(new PodBuilder(pod("sleeper", "shell", "echo started; exec sleep 600")).editSpec()
                .withTerminationGracePeriodSeconds(1L).endSpec().build()).create();
        await("sleeper", p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));

        client.pods().withName("sleeper").delete();
        client.pods().withName("sleeper").waitUntilCondition(p -> p == null, 1, TimeUnit.MINUTES);
        kubelet.awaitQuiet();

        assertThat(kubelet.anyRunning()).isFalse();
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).toList()).isEmpty();
    }

    @Test
    void instantiatesACustomStrategyBuildConfigAndRunsTheBuildToComplete() {
        OpenShiftClient openShift = cluster.newOpenShiftClient();
        openShift.buildConfigs().resource(new BuildConfigBuilder().withNewMetadata().withName("custom-build-config").endMetadata()
                .withNewSpec().withNewStrategy().withType("Custom").withNewCustomStrategy().withNewFrom().withKind("DockerImage")
                .withName("custom-builder").endFrom().addNewEnv().withName("BUILD_NAME").withValue("component").endEnv()
                .endCustomStrategy().endStrategy().endSpec().build()).create();

        Build build = openShift.buildConfigs().withName("custom-build-config").instantiate(new BuildRequestBuilder()
                .withNewMetadata().withName("custom-build-config").endMetadata().build());
        Build done = openShift.builds().withName(build.getMetadata().getName())
                .waitUntilCondition(b -> b != null && b.getStatus() != null && "Complete".equals(b.getStatus().getPhase()), 2, TimeUnit.MINUTES);

        assertThat(build.getMetadata().getName()).isEqualTo("custom-build-config-1");
        assertThat(done.getMetadata().getAnnotations()).containsEntry("openshift.io/build.pod-name", "custom-build-config-1-build");
        assertThat(openShift.builds().withName("custom-build-config-1").getLog()).isEqualTo("built component\n1\n");
        assertThat(openShift.buildConfigs().withName("custom-build-config").get().getStatus().getLastVersion()).isEqualTo(1L);
    }

    @Test
    void injectedFailuresAnswerTheNextRequestsOnlyThenTheStoreServes() {
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("conflicted").endMetadata().build()).create();
        Route conflict = cluster.failNext("PUT", "/api/v1/namespaces/[^/]+/configmaps/conflicted", 409, 1);

        assertThatThrownBy(() -> client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("conflicted")
                .endMetadata().addToData("k", "first").build()).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(conflict.remaining()).isZero();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("conflicted").endMetadata()
                .addToData("k", "v").build()).update();
        assertThat(client.configMaps().withName("conflicted").get().getData()).containsEntry("k", "v");
    }

    @Test
    void anInjectedWatchFailureHitsTheWatchNotTheList() {
        Route gone = cluster.failNextWatch("/api/v1/namespaces/[^/]+/secrets", 410, 1);

        assertThat(client.secrets().list().getItems()).isNotNull();
        assertThat(gone.remaining()).isEqualTo(1);
        var failed = new java.util.concurrent.CompletableFuture<Integer>();
        try (var watch = client.secrets().watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Secret resource) {}

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                failed.complete(cause.isHttpGone() ? 410 : -1);
            }
        })) {
            assertThat(failed.join()).isEqualTo(410);
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(410); // a watch refused while opening fails at once
        }
        assertThat(gone.remaining()).isZero();
    }
}
