package io.strata.kube.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.strata.core.build.BuildId;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.request.BuildRequest;
import io.strata.kube.worker.WorkerOrder;
import io.strata.kube.worker.WorkerPodContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerPodsTest {
    @TempDir
    Path dir;

    private Configuration config(String extra) throws Exception {
        Path file = Files.writeString(dir.resolve("osbs.conf"), "[default]\nregistry_uri = http://registry.example:5000/v2\n"
                + "build_image = strata:1\nnamespace = builds\nregistry_secret = pushsecret\nmemory_limit = 2Gi\npassword = hunter2\n"
                + "strata_worker_tolerations = builds=true:NoSchedule, spot:NoExecute\n" + extra
                + "[platform:aarch64]\narchitecture = arm64v8\n");
        return ConfigLoader.load(new ConfigSource(Optional.of(file), Optional.empty(), Map.of(), Map.of(), file, dir)).config();
    }

    private static WorkerSpec spec(String platform) {
        BuildRequest request = BuildRequest.builder().component("hello").gitUri("https://user:gh-token@git.example/hello.git")
                .gitRef("0123456789abcdef0123456789abcdef01234567").target("candidate").networkPolicy("none")
                .yumRepoUrls(java.util.List.of("https://repo.example/x.repo?token=repo-token")).build();
        return new WorkerSpec(new BuildId("20261122-004512-3f9a1c"), request, "{\"plan\":1}", platform, 2, 17);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void thePodRunsTheWorkerWithItsOrderTheArchitectureAndTheSecretsReadOnly() throws Exception {
        WorkerPods pods = new WorkerPods(config(""), Optional.empty(), Clock.systemUTC());
        WorkerSpec spec = spec("x86_64");

        Pod pod = pods.pod(spec, "builds", pods.render(spec).userParams().toJson());

        Container container = pod.getSpec().getContainers().getFirst();
        assertThat(pod.getMetadata().getName()).isEqualTo("strata-worker-20261122-004512-3f9a1c-2");
        assertThat(pod.getMetadata().getLabels()).containsEntry(WorkerPodContract.BUILD_ID_LABEL, "20261122-004512-3f9a1c");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("kubernetes.io/arch", "amd64");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(container.getImage()).isEqualTo("strata:1");
        assertThat(container.getCommand()).containsExactly("strata");
        assertThat(container.getArgs()).containsExactly("worker");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
        assertThat(container.getVolumeMounts()).filteredOn(m -> m.getMountPath().startsWith("/var/run/secrets"))
                .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
                .extracting(m -> m.getMountPath())
                .containsExactlyInAnyOrder(WorkerPodContract.BUILD_SECRET_MOUNT, "/var/run/secrets/atomic-reactor/pushsecret");
        assertThat(env(container, WorkerPodContract.SECRETS)).isEqualTo(WorkerPodContract.BUILD_SECRET_MOUNT
                + ",/var/run/secrets/atomic-reactor/pushsecret");
        WorkerOrder order = WorkerOrder.fromJson(env(container, WorkerPodContract.STRATA_WORKER));
        assertThat(order.attempt()).isEqualTo(2);
        assertThat(order.logAfter()).isEqualTo(17);
        assertThat(order.config()).containsEntry("registry_uri", "http://registry.example:5000/v2")
                .doesNotContainKeys("password", "strata_home", "strata_store_url");
        assertThat(pod.getSpec().getTolerations()).extracting(t -> t.getKey() + "/" + t.getOperator() + "/" + t.getValue() + "/" + t.getEffect())
                .containsExactly("builds/Equal/true/NoSchedule", "spot/Exists/null/NoExecute");
    }

    @Test
    void credentialsAreInTheBuildSecretOnlyNeverInThePodSpec() throws Exception {
        WorkerPods pods = new WorkerPods(config(""), Optional.of("{\"auths\":{}}".getBytes(StandardCharsets.UTF_8)), Clock.systemUTC());
        WorkerSpec spec = spec("x86_64");

        String podJson = io.fabric8.kubernetes.client.utils.Serialization.asJson(pods.pod(spec, "builds", pods.render(spec).userParams().toJson()));
        Secret secret = pods.buildSecret(spec, "builds");

        assertThat(podJson).doesNotContain("gh-token", "repo-token", "hunter2");
        String credentials = new String(Base64.getDecoder().decode(secret.getData().get(WorkerPodContract.CREDENTIALS_FILE)), StandardCharsets.UTF_8);
        assertThat(credentials).contains("gh-token", "repo-token");
    }

    @Test
    void thePlatformSectionsArchitectureWinsOverTheDefaultMap() throws Exception {
        Configuration config = config("");
        WorkerPods pods = new WorkerPods(config, Optional.empty(), Clock.systemUTC());

        assertThat(pods.nodeSelector("aarch64")).containsEntry("kubernetes.io/arch", "arm64v8");
        assertThat(pods.nodeSelector("s390x")).containsEntry("kubernetes.io/arch", "s390x");
        assertThat(pods.nodeSelector("ppc64le")).containsEntry("kubernetes.io/arch", "ppc64le");
    }
}
