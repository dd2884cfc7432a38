package io.strata.cli.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildEvent;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.kube.engine.ClusterEngines;
import io.strata.kube.worker.WorkerPodContract;
import io.strata.local.worker.LocalBuildService;
import io.strata.testkit.BuildParts;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.kube.CustomStrategyBuilds;
import io.strata.testkit.kube.KubeletImage;
import io.strata.testkit.kube.MockKubeFixture;
import io.strata.testkit.kube.Route;
import io.strata.testkit.kube.TestKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real worker builds through the cluster engines, without a cluster: fabric8's mock API server and
 * the test kit's kubelet, which runs each worker pod's {@code strata worker} as the packaged CLI
 * (buildah with private storage, a registry on loopback, a git repository). The kubernetes engine
 * makes a Pod, the openshift engine a BuildConfig and Build; both follow it, stream its log, read
 * its result back from the API and remove what they made.
 */
class ClusterEngineIT {
    static final String BUILDER = "strata-builder:test";
    static BuildParts parts;
    static MockKubeFixture cluster;
    static TestKubelet kubelet;
    static KubernetesClient client;
    static GitRepoFixture repo;
    static String commit;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("strata-cluster-it-");
        parts = BuildParts.start();
        cluster = MockKubeFixture.start();
        repo = GitRepoFixture.create(dir.resolve("repo"));
        repo.write("Dockerfile", "FROM " + parts.baseImage() + "\nLABEL name=cluster/hello version=1\nRUN echo built in a pod\n");
        commit = repo.commit("cluster build");
        Path strata = script("strata", "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -jar '"
                + Path.of("target/strata-cli.jar").toAbsolutePath() + "' \"$@\"");
        Path sleeper = script("sleeper", "echo '[worker] waiting to be cancelled'; exec sleep 600");
        kubelet = TestKubelet.on(cluster)
                .image(BUILDER, new KubeletImage.Local(List.of("strata"), List.of("worker"), Map.of("strata", strata)))
                .image("sleeper:test", new KubeletImage.Local(List.of("strata"), List.of("worker"), Map.of("strata", sleeper)))
                .image("hungry:test", new KubeletImage.OomKilled())
                .env("KUBECONFIG", cluster.kubeconfig().toString())
                .builds(new CustomStrategyBuilds())
                .start();
        client = cluster.newClient();
    }

    private static Path script(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @AfterAll
    static void stop() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (parts != null) {
            parts.close();
        }
        io.strata.testkit.TempDirs.deleteRecursively(dir);
    }

    static Configuration config(String engine, Map<String, String> more) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of(
                "registry_uri", "http://" + parts.registry().host() + "/v2",
                "strata_engine", engine,
                "strata_kubeconfig", cluster.kubeconfig().toString(),
                "namespace", cluster.namespace(),
                "build_image", BUILDER,
                "strata_home", dir.resolve("service").toString(),
                "strata_build_network", "none"));
        values.putAll(more);
        return ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), values, Map.of(),
                dir.resolve("no-osbs.conf"), dir)).config();
    }

    static WorkerSpec spec(Configuration config, String component, String platform) throws Exception {
        BuildRequest request = BuildRequest.builder().component(component).gitUri(repo.uri().toString()).gitRef(commit)
                .target("candidate").networkPolicy("none").build();
        var prepared = LocalBuildService.prepare(new BuildSubmission(request, Optional.empty()), config);
        return new WorkerSpec(BuildId.next(Clock.systemUTC()), prepared.request().toBuilder().platforms(List.of()).build(),
                prepared.plan().toJson(), platform, 1, 0);
    }

    /** Events of one build, as the store would record them. */
    record Run(WorkerResult result, List<BuildEvent> events) {
        List<String> log() {
            return events.stream().filter(e -> e instanceof BuildEvent.LogEmitted).map(e -> ((BuildEvent.LogEmitted) e).line().text()).toList();
        }

        Optional<BuildEvent.ImagePushed> pushed() {
            return events.stream().filter(e -> e instanceof BuildEvent.ImagePushed).map(e -> (BuildEvent.ImagePushed) e).findFirst();
        }
    }

    static Run build(Configuration config, WorkerSpec spec) throws Exception {
        List<BuildEvent> events = new CopyOnWriteArrayList<>();
        try (Engine engine = new ClusterEngines().open(config.strata().engine().configName(), config, Map.of(), System.err)) {
            EngineRun run = engine.start(spec, events::add);
            return new Run(run.await(), events);
        }
    }

    private static void assertNothingLeftOf(BuildId id) {
        assertThat(client.pods().withLabel(WorkerPodContract.BUILD_ID_LABEL, id.value()).list().getItems()).isEmpty();
        assertThat(client.secrets().withName(WorkerPodContract.buildSecretName(id)).get()).isNull();
        assertThat(client.configMaps().withName(WorkerPodContract.resultName(id)).get()).isNull();
    }

    @Test
    void theKubernetesEngineRunsARealWorkerBuildInAPodDespiteDroppedWatchesAndAConflict() throws Exception {
        Configuration config = config("kubernetes", Map.of());
        WorkerSpec spec = spec(config, "kube-hello", "x86_64");
        Route gone = cluster.failNextWatch("/api/v1/namespaces/[^/]+/pods", 410, 1);
        Route dropped = cluster.failNextWatch("/api/v1/namespaces/[^/]+/pods", 500, 1);
        Route conflict = cluster.failNext("POST", "/api/v1/namespaces/[^/]+/secrets", 409, 1);

        Run run = build(config, spec);

        assertThat(run.result().state()).as(run.result() + "\n" + String.join("\n", run.log())).isEqualTo(BuildState.COMPLETE);
        assertThat(run.log()).anyMatch(line -> line.contains("built in a pod"));
        assertThat(run.pushed()).isPresent();
        assertThat(run.pushed().get().output().digest()).startsWith("sha256:");
        assertThat(run.events()).anyMatch(e -> e instanceof BuildEvent.StepFinished f && f.timing().step().equals("buildah_build"));
        var output = run.pushed().get().output();
        String repository = output.repository().substring(parts.registry().host().length() + 1);
        assertThat(parts.registry().skopeoInspect(repository + "@" + output.digest()).path("Digest").asText()).isEqualTo(output.digest());
        assertThat(kubelet.started()).contains(WorkerPodContract.podName(spec.buildId(), 1));
        assertThat(gone.remaining()).isZero();
        assertThat(dropped.remaining()).isZero();
        assertThat(conflict.remaining()).isZero();
        assertNothingLeftOf(spec.buildId());
    }
}
