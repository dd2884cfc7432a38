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
                // arm64 runs under QEMU here (the multi-platform test); s390x stays Pending (the timeout test).
                .architectures("amd64", "arm64")
                .builds(new CustomStrategyBuilds())
                .start();
        client = cluster.newClient();
    }

    private static Path script(String name, String body) throws Exception {
        return io.strata.testkit.ShellScripts.write(dir, name, body);
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
        // Each build its own image name: two components may not share a primary tag (PRIMARY_TAG_TAKEN).
        BuildRequest request = BuildRequest.builder().component(component).gitUri(repo.uri().toString()).gitRef(commit)
                .target("candidate").networkPolicy("none").labels(Map.of("name", "cluster/" + component)).build();
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
    void theKubernetesEngineRunsARealWorkerBuildInAPodDespiteDroppedWatchesAConflictAndALostAnswer() throws Exception {
        Configuration config = config("kubernetes", Map.of());
        WorkerSpec spec = spec(config, "kube-hello", "x86_64");
        Route gone = cluster.failNextWatch("/api/v1/namespaces/[^/]+/pods", 410, 1);
        Route dropped = cluster.failNextWatch("/api/v1/namespaces/[^/]+/pods", 500, 1);
        Route conflict = cluster.failNext("POST", "/api/v1/namespaces/[^/]+/secrets", 409, 1);
        // The pod is made but its answer lost (CI once failed a multi-platform build this way): the engine
        // creates again, gets 409 AlreadyExists and follows the pod it made.
        Route lost = cluster.loseNextAnswer("POST", "/api/v1/namespaces/[^/]+/pods", 1);

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
        assertThat(lost.remaining()).isZero();
        assertThat(kubelet.started()).filteredOn(WorkerPodContract.podName(spec.buildId(), 1)::equals).hasSize(1);
        assertNothingLeftOf(spec.buildId());
    }

    @Test
    void aMultiPlatformBuildOnTheKubernetesEngineIsJoinedIntoOneIndexByTheService() throws Exception {
        // The orchestrator runs in the service and pushes the index itself: with a cluster engine it
        // once had no registry client, and such a build completed without any index.
        parts.buildah().makeMultiPlatformBusyboxImage("cluster/multi-base:1", parts.registry(), List.of("amd64", "arm64"));
        GitRepoFixture multi = GitRepoFixture.create(dir.resolve("multi-repo"));
        multi.write("Dockerfile", "FROM " + parts.registry().host() + "/cluster/multi-base:1\n"
                + "LABEL name=cluster/multi version=1\nRUN uname -m > /arch\n");
        String multiCommit = multi.commit("two platforms");
        Configuration config = config("kubernetes", Map.of());
        BuildRequest request = BuildRequest.builder().component("multi").gitUri(multi.uri().toString()).gitRef(multiCommit)
                .target("candidate").networkPolicy("none").labels(Map.of("name", "cluster/multi"))
                .platforms(List.of("x86_64", "aarch64")).build();

        io.strata.core.build.BuildRecord done;
        try (var services = io.strata.local.worker.LocalServices.open(config,
                io.strata.local.worker.LocalServices.buildahOptions(config), System.err, Map.of())) {
            var prepared = LocalBuildService.prepare(new BuildSubmission(request, Optional.empty()), config);
            done = services.builds().run(services.builds().submit(prepared.request(), config, prepared.plan()), event -> { });
        }

        assertThat(done.state()).as(String.valueOf(done.failure())).isEqualTo(BuildState.COMPLETE);
        assertThat(done.workers()).extracting(w -> w.platform()).containsExactly("x86_64", "aarch64");
        var index = done.outputs().getFirst();
        String repository = index.repository().substring(parts.registry().host().length() + 1);
        String raw = parts.registry().skopeoInspectRaw(repository + "@" + index.digest());
        assertThat(raw).contains("\"manifests\"", "\"amd64\"", "\"arm64\"");
    }

    @Test
    void theOpenShiftEngineRunsARealWorkerBuildThroughABuildConfigAndABuild() throws Exception {
        Configuration config = config("openshift", Map.of());
        WorkerSpec spec = spec(config, "shift-hello", "x86_64");
        Route conflict = cluster.failNext("PATCH", "/apis/build.openshift.io/v1/namespaces/[^/]+/builds/[^/]+", 409, 1);

        Run run = build(config, spec);

        assertThat(run.result().state()).as(run.result() + "\n" + String.join("\n", run.log())).isEqualTo(BuildState.COMPLETE);
        assertThat(run.log()).anyMatch(line -> line.contains("built in a pod"));
        assertThat(run.pushed()).isPresent();
        var builds = cluster.newOpenShiftClient().builds().withLabel(WorkerPodContract.BUILD_ID_LABEL, spec.buildId().value()).list().getItems();
        assertThat(builds).singleElement().satisfies(b -> assertThat(b.getStatus().getPhase()).isEqualTo("Complete"));
        assertThat(builds.getFirst().getSpec().getStrategy().getCustomStrategy().getFrom().getName()).isEqualTo(BUILDER);
        assertThat(conflict.remaining()).isZero();
        assertNothingLeftOf(spec.buildId());
    }

    @Test
    void aMissingBuilderImageEndsTheBuildWithItsReasonAndRemovesThePod() throws Exception {
        failingBuild(Map.of("build_image", "registry.example/strata/missing:1"), "x86_64", "BUILDER_IMAGE_PULL_FAILED",
                "registry.example/strata/missing:1");
    }

    @Test
    void anOomKilledWorkerEndsTheBuildWithItsReason() throws Exception {
        failingBuild(Map.of("build_image", "hungry:test", "memory_limit", "64Mi"), "x86_64", "WORKER_OOM_KILLED", "64Mi");
    }

    @Test
    void aPodPendingPastTheTimeoutEndsTheBuildWithItsReason() throws Exception {
        Run run = failingBuild(Map.of("strata_worker_pending_timeout", "1"), "s390x", "WORKER_POD_PENDING_TIMEOUT", "stayed Pending");

        assertThat(run.result().failure().orElseThrow().hint()).contains("kubernetes.io/arch=s390x");
    }

    @Test
    void aForbiddenNamespaceEndsTheBuildWithItsReason() throws Exception {
        cluster.failNext("POST", "/api/v1/namespaces/[^/]+/pods", 403, 1);

        failingBuild(Map.of(), "x86_64", "CLUSTER_FORBIDDEN", "403");
    }

    /** A kubernetes-engine build with these settings ends FAILED with {@code reason}, and nothing of it stays in the cluster. */
    private static Run failingBuild(Map<String, String> settings, String platform, String reason, String inMessage) throws Exception {
        Configuration config = config("kubernetes", settings);
        WorkerSpec spec = spec(config, "failing-" + reason.toLowerCase(java.util.Locale.ROOT).replace('_', '-'), platform);

        Run run = build(config, spec);

        assertFailed(run, reason, inMessage);
        assertNothingLeftOf(spec.buildId());
        return run;
    }

    @Test
    void anUnreachableApiServerEndsTheBuildWithItsReason() throws Exception {
        try (var refusing = io.strata.testkit.RefusingPort.open()) {
            Path kubeconfig = Files.writeString(dir.resolve("unreachable-kubeconfig"),
                    MockKubeFixture.kubeconfigFor("http://127.0.0.1:" + refusing.port(), "strata-test"));
            Configuration config = config("kubernetes", Map.of("strata_kubeconfig", kubeconfig.toString()));

            Run run = build(config, spec(config, "unreachable", "x86_64"));

            assertFailed(run, "CLUSTER_UNREACHABLE", "unreachable");
            assertThat(run.result().transientFailure()).isTrue();
        }
    }

    @Test
    void aMissingOrMalformedKubeconfigIsRefusedWithItsReason() throws Exception {
        Path malformed = Files.writeString(dir.resolve("malformed-kubeconfig"), "clusters: [not, a, kubeconfig\n");
        for (var bad : Map.of(dir.resolve("nothere").toString(), "KUBECONFIG_MISSING", malformed.toString(), "KUBECONFIG_INVALID").entrySet()) {
            Configuration config = config("kubernetes", Map.of("strata_kubeconfig", bad.getKey()));

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterEngines().open("kubernetes", config, Map.of(), System.err))
                    .isInstanceOfSatisfying(io.strata.core.StrataException.class, e -> {
                        assertThat(e.reason()).isEqualTo(bad.getValue());
                        assertThat(e.getMessage()).contains(bad.getKey());
                        assertThat(e.hint()).isNotBlank();
                    });
        }
    }

    @Test
    void anUnreachableSecondClusterDoesNotBlockBuildsOnTheFirst() throws Exception {
        try (var refusing = io.strata.testkit.RefusingPort.open()) {
            Path kubeconfig = Files.writeString(dir.resolve("two-clusters"), twoClusters(refusing.port()));
            client.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("reactor-config")
                    .endMetadata().addToData("config.yaml", "version: 1\nclusters:\n  x86_64:\n  - name: down\n    max_concurrent_builds: 4\n"
                            + "  - name: mock\n    max_concurrent_builds: 4\n").build()).createOr(r -> r.update());
            Configuration config = config("kubernetes", Map.of("strata_kubeconfig", kubeconfig.toString(),
                    "reactor_config_map", "reactor-config", "build_image", "sleeper:test"));
            WorkerSpec spec = spec(config, "two-clusters", "x86_64");
            try (Engine engine = new ClusterEngines().open("kubernetes", config, Map.of(), System.err)) {
                EngineRun run = engine.start(spec, event -> { });
                awaitStarted(WorkerPodContract.podName(spec.buildId(), 1));

                run.cancel();

                assertThat(run.await().state()).isEqualTo(BuildState.CANCELLED);
            }
            assertNothingLeftOf(spec.buildId());
        }
    }

    @Test
    void aCancelledBuildEndsCancelledAndItsPodAndProcessAreGone() throws Exception {
        Configuration config = config("kubernetes", Map.of("build_image", "sleeper:test"));
        WorkerSpec spec = spec(config, "cancelled", "x86_64");
        try (Engine engine = new ClusterEngines().open("kubernetes", config, Map.of(), System.err)) {
            EngineRun run = engine.start(spec, event -> { });
            awaitStarted(WorkerPodContract.podName(spec.buildId(), 1));

            run.cancel();

            assertThat(run.await().state()).isEqualTo(BuildState.CANCELLED);
        }
        assertNothingLeftOf(spec.buildId());
        kubelet.awaitQuiet();
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/sleep"))).isEmpty();
    }

    @Test
    void afterARestartTheEngineReattachesToTheRunningPodByItsLabel() throws Exception {
        Configuration config = config("kubernetes", Map.of("build_image", "sleeper:test"));
        WorkerSpec spec = spec(config, "reattached", "x86_64");
        try (Engine before = new ClusterEngines().open("kubernetes", config, Map.of(), System.err);
                Engine after = new ClusterEngines().open("kubernetes", config, Map.of(), System.err)) {
            EngineRun first = before.start(spec, event -> { });
            awaitStarted(WorkerPodContract.podName(spec.buildId(), 1));
            List<BuildEvent> events = new CopyOnWriteArrayList<>();

            Optional<EngineRun> again = after.reattach(spec, io.strata.core.engine.RecordedLog.NOTHING, events::add);

            assertThat(again).isPresent();
            again.get().cancel();
            assertThat(again.get().await().state()).isEqualTo(BuildState.CANCELLED);
            first.await();
            assertThat(after.reattach(new WorkerSpec(BuildId.next(Clock.systemUTC()), spec.request(), spec.planJson(), spec.platform(), 1, 0),
                    io.strata.core.engine.RecordedLog.NOTHING, event -> { })).isEmpty();
        }
        assertNothingLeftOf(spec.buildId());
    }

    private static String twoClusters(int downPort) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                - name: down
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context: {cluster: mock, namespace: strata-test, user: tester}
                - name: down
                  context: {cluster: down, namespace: strata-test, user: tester}
                current-context: mock
                users:
                - name: tester
                  user: {token: mock-token}
                """.formatted(cluster.url(), downPort);
    }

    private static void awaitStarted(String pod) throws InterruptedException {
        while (!kubelet.started().contains(pod)) {
            Thread.sleep(100);
        }
    }

    private static void assertFailed(Run run, String reason, String inMessage) {
        assertThat(run.result().state()).as(run.result().toString()).isEqualTo(BuildState.FAILED);
        assertThat(run.result().failure().orElseThrow().reason()).isEqualTo(reason);
        assertThat(run.result().failure().orElseThrow().message()).contains(inMessage);
        assertThat(run.result().failure().orElseThrow().hint()).isNotBlank();
    }
}
