package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.config.StrataSettings;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.store.BuildStore;
import io.strata.kube.worker.WorkerPodContract;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.worker.LocalServices;
import io.strata.testkit.BuildParts;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.kube.CustomStrategyBuilds;
import io.strata.testkit.kube.KubeletImage;
import io.strata.testkit.kube.MockKubeFixture;
import io.strata.testkit.kube.TestKubelet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real {@code strata serve} process (the packaged CLI) runs a build on a cluster engine (the
 * mock API server and the test kit's kubelet); it is killed with SIGKILL (kubernetes) or stopped
 * with SIGTERM (openshift) while the worker runs, and a second {@code strata serve} on the same
 * store re-attaches to the same worker instead of starting another: the build completes with its image, exactly one worker was ever made for it, and the
 * worker's log lines are in the record once each. The worker's image is a script that prints two
 * lines, waits for a file the test creates after the restart, then runs the real {@code strata
 * worker} (buildah build and push to the test registry).
 */
class ClusterReattachIT {
    static final String SLOW_BUILDER = "strata-slow-builder:test";
    static final String FIRST_LINE = "before the restart, line one";
    static final String SECOND_LINE = "before the restart, line two";

    static Path dir;
    static BuildParts parts;
    static MockKubeFixture cluster;
    static TestKubelet kubelet;
    static KubernetesClient client;
    static GitRepoFixture repo;
    static String commit;
    static boolean multiBase;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("strata-reattach-it-");
        parts = BuildParts.start();
        cluster = MockKubeFixture.start();
        repo = GitRepoFixture.create(dir.resolve("repo"));
        repo.write("Dockerfile", "FROM " + parts.baseImage() + "\nLABEL name=cluster/reattached version=1\nRUN echo built after a restart\n");
        commit = repo.commit("a build that outlives its service");
        // The gate is the build id's file under gates/: the script's STRATA_WORKER names the build.
        Path strata = script("strata", "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -jar '"
                + Path.of("target/strata-cli.jar").toAbsolutePath() + "' \"$@\"");
        Path slow = script("slow-strata", """
                id=$(printf '%%s' "$STRATA_WORKER" | sed -n 's/.*"build_id":"\\([^"]*\\)".*/\\1/p')
                echo '[worker] %s'
                echo '[worker] %s'
                while [ ! -e '%s'/"$id" ]; do sleep 0.2; done
                exec '%s' "$@"
                """.formatted(FIRST_LINE, SECOND_LINE, Files.createDirectories(dir.resolve("gates")), strata));
        kubelet = TestKubelet.on(cluster)
                .image(SLOW_BUILDER, new KubeletImage.Local(List.of("strata"), List.of("worker"), Map.of("strata", slow)))
                .env("KUBECONFIG", cluster.kubeconfig().toString())
                // arm64 runs under QEMU (the multi-platform case's aarch64 worker).
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

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aKubernetesBuildKilledWithItsServiceIsFollowedToItsEndInTheSamePodByTheNextService() throws Exception {
        Reattached run = stopAndRestartDuring("kubernetes", "reattached-pod", true);

        List<HasMetadata> pods = run.workers();
        assertThat(pods).as("the worker pods ever made for the build").hasSize(1);
        assertThat(run.secondLog()).contains("re-attached to its worker pod " + cluster.namespace() + "/"
                + pods.getFirst().getMetadata().getName() + " (uid " + pods.getFirst().getMetadata().getUid() + ")");
        assertThat(client.pods().withLabel(WorkerPodContract.BUILD_ID_LABEL, run.id().value()).list().getItems())
                .as("the pod is removed once its build ended").isEmpty();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void anOpenShiftBuildWhoseServiceStopsIsLeftRunningAndFollowedToItsEndInTheSameBuildByTheNextService() throws Exception {
        // SIGTERM this time: the stopping service detaches from the Build instead of cancelling it.
        Reattached run = stopAndRestartDuring("openshift", "reattached-build", false);

        List<HasMetadata> builds = run.workers();
        assertThat(builds).as("the OpenShift Builds ever made for the build").hasSize(1);
        assertThat(run.secondLog()).contains("re-attached to its Build " + cluster.namespace() + "/"
                + builds.getFirst().getMetadata().getName() + " (uid " + builds.getFirst().getMetadata().getUid() + ")");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aMultiPlatformBuildKilledWithItsServiceFollowsEachPlatformsPodToItsEndUnderANewWorkerRecord() throws Exception {
        // A resumed orchestrator once made new worker records that started new pods, while the old
        // pods ran on unfollowed: their results lost, the pods left until they ended. Killed twice:
        // after the second kill the pods still carry the first records' ids, not the newest ones'.
        multiPlatformRestart("multi-killed", true);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aMultiPlatformBuildWhoseServiceStopsLeavesEachPlatformsPodRunningForTheNextService() throws Exception {
        // SIGTERM: the orchestrator once cancelled its workers (their pods deleted) instead of detaching.
        multiPlatformRestart("multi-stopped", false);
    }

    /** {@code kill}: SIGKILL the first service; else SIGTERM. */
    private void multiPlatformRestart(String name, boolean kill) throws Exception {
        synchronized (ClusterReattachIT.class) {
            if (!multiBase) {
                parts.buildah().makeMultiPlatformBusyboxImage("reattach/multi-base:1", parts.registry(), List.of("amd64", "arm64"));
                multiBase = true;
            }
        }
        GitRepoFixture multi = GitRepoFixture.create(dir.resolve(name + "-repo"));
        multi.write("Dockerfile", "FROM " + parts.registry().host() + "/reattach/multi-base:1\n"
                + "LABEL name=cluster/" + name + " version=1\nRUN echo built after a restart\n");
        String multiCommit = multi.commit("two platforms that outlive their service");
        Path home = Files.createDirectories(dir.resolve(name));
        Path conf = home.resolve("osbs.conf");
        Files.writeString(conf, osbsConf("kubernetes", home));
        ChildEnvironment environment = ChildEnvironment.of(Files.createDirectories(home.resolve("user")));
        int startedBefore = kubelet.started().size();

        ServeIT.Served first = ServeIT.serve(home, environment, "--config", conf.toString());
        BuildId id = submit(conf, BuildRequest.builder().component(name).gitUri(multi.uri().toString())
                .gitRef(multiCommit).target("candidate").networkPolicy("none").labels(Map.of("name", "cluster/" + name))
                .platforms(List.of("x86_64", "aarch64")).build());
        String storeUrl = StrataSettings.embeddedStoreUrl(home.resolve("strata"));
        Map<String, BuildId> oldWorkers = new java.util.HashMap<>();
        Map<BuildId, String> podOf = new java.util.HashMap<>();
        try (BuildStore store = BuildStores.open(storeUrl, Optional.empty(), Optional.empty())) {
            // Killed once both workers' first lines are in their records.
            while (oldWorkers.size() < 2) {
                assertThat(first.process().isAlive()).as("the first service; log: %s", first.logText()).isTrue();
                Thread.sleep(200);
                for (var worker : store.find(id).orElseThrow().workers()) {
                    if (store.logs(worker.id(), 0, 100).stream().filter(l -> l.text().startsWith("before the restart")).count() == 2) {
                        oldWorkers.put(worker.platform(), worker.id());
                    }
                }
            }
            for (BuildId old : oldWorkers.values()) {
                List<io.fabric8.kubernetes.api.model.Pod> pods = client.pods().withLabel(WorkerPodContract.BUILD_ID_LABEL,
                        old.value()).list().getItems();
                assertThat(pods).as("pods of worker %s", old).hasSize(1);
                podOf.put(old, pods.getFirst().getMetadata().getName());
            }
            if (kill) {
                first.process().destroyForcibly();
                first.process().waitFor();
            } else {
                assertThat(first.stop()).as("exit of the first service on SIGTERM; log: %s", first.logText()).isZero();
            }
        }

        ServeIT.Served second = ServeIT.serve(home, environment, "--config", conf.toString());
        awaitReattached(second, oldWorkers.values(), startedBefore);
        if (kill) {
            // Killed again while following the pods under the newer records.
            second.process().destroyForcibly();
            second.process().waitFor();
            second = ServeIT.serve(home, environment, "--config", conf.toString());
            awaitReattached(second, oldWorkers.values(), startedBefore);
        }
        try {
            for (BuildId old : oldWorkers.values()) {
                Files.writeString(dir.resolve("gates").resolve(old.value()), "go\n");
            }
            try (BuildStore store = BuildStores.open(storeUrl, Optional.empty(), Optional.empty())) {
                BuildRecord done = store.find(id).orElseThrow();
                while (!done.state().isTerminal()) {
                    assertThat(second.process().isAlive()).as("the second service; log: %s", second.logText()).isTrue();
                    Thread.sleep(300);
                    done = store.find(id).orElseThrow();
                }
                assertThat(done.state()).as("%s: %s; log: %s", id, done.failure(), second.logText()).isEqualTo(BuildState.COMPLETE);
                assertThat(kubelet.started().size() - startedBefore).as("pods the kubelet ever ran for the build").isEqualTo(2);
                assertThat(done.workers()).extracting(w -> w.platform()).containsExactly("x86_64", "aarch64");
                var index = done.outputs().getFirst();
                String raw = parts.registry().skopeoInspectRaw(index.repository().substring(parts.registry().host().length() + 1)
                        + "@" + index.digest());
                assertThat(raw).contains("\"manifests\"", "\"amd64\"", "\"arm64\"");
                for (var worker : done.workers()) {
                    BuildId old = oldWorkers.get(worker.platform());
                    assertThat(worker.id()).as("the platform's worker record after the restart").isNotEqualTo(old);
                    assertThat(worker.state()).isEqualTo(BuildState.COMPLETE);
                    assertThat(store.logs(worker.id(), 0, 10).stream().map(LogLine::text))
                            .anyMatch(line -> line.contains("re-attached to the worker of the earlier worker build " + old));
                    List<String> recorded = store.logs(worker.id(), 0, 100_000).stream()
                            .filter(l -> !l.step().equals(JdbcBuildStore.QUEUE_LOG_STEP)).map(LogLine::text).toList();
                    List<String> printed = kubelet.log(podOf.get(old)).lines()
                            .map(line -> line.replaceFirst("^\\[[a-z0-9_]+\\] ", "")).toList();
                    assertThat(printed).contains(FIRST_LINE, SECOND_LINE).anyMatch(line -> line.contains("built after a restart"));
                    assertThat(recorded).as("worker %s's record holds its pod's lines", worker.id()).containsExactlyElementsOf(printed);
                    assertThat(client.pods().withLabel(WorkerPodContract.BUILD_ID_LABEL, old.value()).list().getItems())
                            .as("the pod is removed once its build ended").isEmpty();
                }
            }
        } finally {
            assertThat(second.stop()).as("exit of the second service on SIGTERM; log: %s", second.logText()).isZero();
        }
    }

    /** Waits until {@code service} follows the pods of {@code workers} (by the ids their pods carry), no pod started anew. */
    private static void awaitReattached(ServeIT.Served service, java.util.Collection<BuildId> workers, int startedBefore)
            throws IOException, InterruptedException {
        while (!reattachedAll(service.logText(), workers)) {
            assertThat(service.process().isAlive()).as("the restarted service; log: %s", service.logText()).isTrue();
            assertThat(kubelet.started().size() - startedBefore).as("new workers started instead of re-attaching to"
                    + " the first ones; log: %s", service.logText()).isEqualTo(2);
            Thread.sleep(200);
        }
    }

    private static boolean reattachedAll(String serviceLog, java.util.Collection<BuildId> workers) {
        return workers.stream().allMatch(old -> serviceLog.contains("build " + old + " re-attached"));
    }

    /** What a run through a kill and a restart left: the build, its workers as seen while running, the second service's log. */
    record Reattached(BuildId id, List<HasMetadata> workers, String secondLog) {}

    /** {@code kill}: SIGKILL the first service (it dies); else SIGTERM (it stops as on a redeployment). */
    private Reattached stopAndRestartDuring(String engine, String component, boolean kill) throws Exception {
        Path home = Files.createDirectories(dir.resolve(engine));
        Path conf = home.resolve("osbs.conf");
        Files.writeString(conf, osbsConf(engine, home));
        ChildEnvironment environment = ChildEnvironment.of(Files.createDirectories(home.resolve("user")));
        Function<BuildId, List<HasMetadata>> workers = id -> engine.equals("kubernetes")
                ? List.copyOf(client.pods().withLabel(WorkerPodContract.BUILD_ID_LABEL, id.value()).list().getItems())
                : List.copyOf(cluster.newOpenShiftClient().builds().withLabel(WorkerPodContract.BUILD_ID_LABEL, id.value())
                        .list().getItems());
        int startedBefore = kubelet.started().size();

        long t0 = System.nanoTime();
        ServeIT.Served first = ServeIT.serve(home, environment, "--config", conf.toString());
        stage(engine, "first service listening", t0);
        BuildId id = submit(conf, BuildRequest.builder().component(component).gitUri(repo.uri().toString()).gitRef(commit)
                .target("candidate").networkPolicy("none").labels(Map.of("name", "cluster/" + component)).build());
        String storeUrl = StrataSettings.embeddedStoreUrl(home.resolve("strata"));
        List<HasMetadata> seen;
        try (BuildStore store = BuildStores.open(storeUrl, Optional.empty(), Optional.empty())) {
            // Killed once the worker's first lines are in the record: the record has them, the worker goes on.
            while (store.logs(id, 0, 100).stream().filter(l -> l.text().startsWith("before the restart")).count() < 2) {
                assertThat(first.process().isAlive()).as("the first service; log: %s", first.logText()).isTrue();
                Thread.sleep(200);
            }
            stage(engine, "worker's first lines recorded", t0);
            seen = workers.apply(id);
            if (kill) {
                first.process().destroyForcibly(); // SIGKILL: no chance to stop the worker or end the build
                first.process().waitFor();
            } else {
                assertThat(first.stop()).as("exit of the first service on SIGTERM; log: %s", first.logText()).isZero();
            }
        }
        assertThat(seen).hasSize(1);

        ServeIT.Served second = ServeIT.serve(home, environment, "--config", conf.toString());
        stage(engine, "second service listening", t0);
        BuildRecord done;
        try {
            while (!second.logText().contains("build " + id + " re-attached")) {
                assertThat(second.process().isAlive()).as("the second service; log: %s", second.logText()).isTrue();
                assertThat(kubelet.started().size() - startedBefore).as("a second worker started instead of re-attaching to"
                        + " the first; log: %s", second.logText()).isEqualTo(1);
                Thread.sleep(200);
            }
            stage(engine, "re-attached", t0);
            Files.writeString(dir.resolve("gates").resolve(id.value()), "go\n");
            try (BuildStore store = BuildStores.open(storeUrl, Optional.empty(), Optional.empty())) {
                done = store.find(id).orElseThrow();
                while (!done.state().isTerminal()) {
                    assertThat(second.process().isAlive()).as("the second service; log: %s", second.logText()).isTrue();
                    Thread.sleep(300);
                    done = store.find(id).orElseThrow();
                }
                stage(engine, "build ended", t0);
                List<String> started = kubelet.started();
                assertThat(started.size() - startedBefore).as("pods the kubelet ever ran for the build").isEqualTo(1);
                assertBuiltOnceAndLoggedOnce(store, done, kubelet.log(started.getLast()));
                assertThat(kubelet.follows(started.getLast())).as("requests that follow the worker's log").isPositive();
            }
        } finally {
            assertThat(second.stop()).as("exit of the second service on SIGTERM; log: %s", second.logText()).isZero();
        }
        return new Reattached(id, seen, second.logText());
    }

    /**
     * The build completed with its image after one more attempt, and its log holds the worker's log
     * exactly as the pod printed it (its {@code [step]} prefixes aside), each line once, in order.
     */
    private static void assertBuiltOnceAndLoggedOnce(BuildStore store, BuildRecord done, String podLog) throws Exception {
        BuildId id = done.id();
        assertThat(done.state()).as("%s: %s", id, done.failure()).isEqualTo(BuildState.COMPLETE);
        assertThat(done.outputs()).singleElement().satisfies(output -> assertThat(output.digest()).startsWith("sha256:"));
        assertThat(done.transitions()).extracting(StateTransition::state).containsExactly(BuildState.NEW, BuildState.PENDING,
                BuildState.RUNNING, BuildState.PENDING, BuildState.RUNNING, BuildState.COMPLETE);
        List<String> recorded = store.logs(id, 0, 100_000).stream().filter(l -> !l.step().equals(JdbcBuildStore.QUEUE_LOG_STEP))
                .map(LogLine::text).toList();
        List<String> printed = podLog.lines().map(line -> line.replaceFirst("^\\[[a-z0-9_]+\\] ", "")).toList();
        assertThat(printed).contains(FIRST_LINE, SECOND_LINE).anyMatch(line -> line.contains("built after a restart"));
        assertThat(recorded).as("the worker's lines in the record").containsExactlyElementsOf(printed);
        assertThat(done.steps()).isNotEmpty();
    }

    private static void stage(String engine, String what, long t0) {
        System.out.printf("ClusterReattachIT %s: %s after %d ms%n", engine, what, (System.nanoTime() - t0) / 1_000_000);
    }

    private static String osbsConf(String engine, Path home) {
        return """
                [default]
                registry_uri = http://%s/v2
                strata_engine = %s
                strata_kubeconfig = %s
                namespace = %s
                build_image = %s
                strata_home = %s
                strata_build_network = none
                strata_build_attempts = 3
                """.formatted(parts.registry().host(), engine, cluster.kubeconfig(), cluster.namespace(), SLOW_BUILDER,
                home.resolve("strata"));
    }

    /** Submits a build into the service's queue through the store, as the REST API would. */
    private static BuildId submit(Path conf, BuildRequest request) throws Exception {
        Configuration config = ConfigLoader.load(new ConfigSource(Optional.of(conf), Optional.empty(), Map.of(), Map.of(),
                dir.resolve("no-osbs.conf"), dir)).config();
        try (LocalServices services = LocalServices.open(config, LocalServices.buildahOptions(config), System.err, Map.of())) {
            return services.builds().submit(BuildSubmission.of(request), Caller.user("alice")).id();
        }
    }
}
