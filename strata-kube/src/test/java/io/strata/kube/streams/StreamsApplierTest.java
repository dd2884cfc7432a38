package io.strata.kube.streams;

import static io.strata.kube.streams.StreamsFixtures.groupWithoutRepos;
import static io.strata.kube.streams.StreamsFixtures.stream;
import static io.strata.kube.streams.StreamsFixtures.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.openshift.api.model.BuildConfig;
import io.fabric8.openshift.api.model.BuildConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applies against fabric8's mock API server in CRUD mode: it stores what is created and serves it back. */
class StreamsApplierTest {
    private static final String TEMPLATE = "FROM replaced-by-buildconfig\n";

    // Expectations (for failure cases) are served first, everything else by the CRUD store; plain http.
    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
            expectations, new KubernetesMixedDispatcher(expectations), false);
    private KubernetesClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() {
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.destroy();
    }

    private static GeneratedObjects generate(String template, boolean liveTestMode) throws Exception {
        return new StreamsGenerator().generate(groupWithoutRepos(),
                streams("golang", stream("rhel-8/golang", "golang"), "base", stream("rhel-7/base-repos", "base")),
                InMemoryTemplates.sameForAll(template), new StreamsOptions(List.of(), liveTestMode));
    }

    @Test
    void createsThenUpdatesAndTheClusterHoldsWhatWasGenerated() throws Exception {
        List<String> progress = new ArrayList<>();
        var applier = new StreamsApplier(client);

        var first = applier.apply(generate(TEMPLATE, false), progress::add);
        GeneratedObjects changed = generate(TEMPLATE + "RUN echo changed\n", false);
        var second = applier.apply(changed, progress::add);

        assertThat(first).extracting(StreamsApplier.Applied::action).containsOnly(StreamsApplier.Action.CREATED);
        assertThat(second).extracting(StreamsApplier.Applied::action).containsOnly(StreamsApplier.Action.UPDATED);
        assertThat(progress).containsExactly(
                "created BuildConfig ci/builder-golang--art-builder",
                "created BuildConfig ci/builder-base--art-builder",
                "created DaemonSet ci/art-managed-openshift-4.6-dont-gc-me-bro",
                "updated BuildConfig ci/builder-golang--art-builder",
                "updated BuildConfig ci/builder-base--art-builder",
                "updated DaemonSet ci/art-managed-openshift-4.6-dont-gc-me-bro");

        List<BuildConfig> buildConfigs = client.resources(BuildConfig.class).inNamespace("ci")
                .withLabel("art-builder-group", "openshift-4.6").list().getItems();
        assertThat(buildConfigs).extracting(bc -> bc.getMetadata().getName())
                .containsExactlyInAnyOrder("builder-golang--art-builder", "builder-base--art-builder");
        BuildConfig golang = client.resources(BuildConfig.class).inNamespace("ci")
                .withName("builder-golang--art-builder").get();
        assertThat(golang.getSpec().getSource().getDockerfile())
                .isEqualTo(changed.buildConfigs().getFirst().spec().source().dockerfile())
                .contains("RUN echo changed");
        assertThat(golang.getSpec().getStrategy().getDockerStrategy().getFrom().getName()).isEqualTo("builder:golang.art");
        DaemonSet ds = client.apps().daemonSets().inNamespace("ci").withName("art-managed-openshift-4.6-dont-gc-me-bro").get();
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getImage())
                .containsExactly("registry.ci.openshift.org/ocp/builder:golang", "registry.ci.openshift.org/ocp/builder:base");
    }

    @Test
    void updateReplacesFieldsChangedOnTheCluster() throws Exception {
        var applier = new StreamsApplier(client);
        applier.apply(generate(TEMPLATE, false), line -> {});
        BuildConfig edited = new BuildConfigBuilder(client.resources(BuildConfig.class).inNamespace("ci")
                .withName("builder-golang--art-builder").get())
                .editSpec().withSuccessfulBuildsHistoryLimit(50).endSpec().build();
        client.resource(edited).update();

        applier.apply(generate(TEMPLATE, false), line -> {});

        assertThat(client.resources(BuildConfig.class).inNamespace("ci").withName("builder-golang--art-builder").get()
                .getSpec().getSuccessfulBuildsHistoryLimit()).isEqualTo(2);
    }

    @Test
    void impersonatesTheAsUserFromAKubeconfig() throws Exception {
        Path kubeconfig = writeKubeconfig(client.getMasterUrl().toString());

        try (ClusterConnection cluster = ClusterConnection.open(Optional.of(kubeconfig), Optional.of("art-publish"), java.util.Map.of(), dir)) {
            assertThat(cluster.server()).isEqualTo(client.getMasterUrl().toString());
            cluster.applier().apply(generate(TEMPLATE, true), line -> {});
        }

        RecordedRequest request = server.getLastRequest();
        assertThat(request.getHeader("Impersonate-User")).isEqualTo("art-publish");
        assertThat(client.resources(BuildConfig.class).inNamespace("ci").withName("builder-golang.test--art-builder").get())
                .isNotNull();
    }

    @Test
    void unreachableServerNamesTheCause() throws Exception {
        Path kubeconfig = writeKubeconfig("http://127.0.0.1:1");

        try (ClusterConnection cluster = ClusterConnection.open(Optional.of(kubeconfig), Optional.empty(), java.util.Map.of(), dir)) {
            assertThatThrownBy(() -> cluster.applier().apply(generate(TEMPLATE, false), line -> {}))
                    .hasFieldOrPropertyWithValue("reason", "CLUSTER_APPLY_FAILED")
                    .hasMessageStartingWith("cannot apply BuildConfig ci/builder-golang--art-builder to"
                            + " http://127.0.0.1:1/: no answer from the API server: ")
                    .hasMessageContaining("Connection refused");
        }
    }

    @Test
    void missingKubeconfigFile() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> ClusterConnection.open(Optional.of(missing), Optional.empty(), java.util.Map.of(), dir))
                .hasFieldOrPropertyWithValue("reason", "KUBECONFIG_MISSING")
                .hasMessage("kubeconfig " + missing + " (--kubeconfig) does not exist");
    }

    @Test
    void aKubeconfigVariableNamingAMissingFileIsAnErrorNotTheInClusterAddress() {
        Path missing = dir.resolve("gone.yaml");

        assertThatThrownBy(() -> ClusterConnection.open(Optional.empty(), Optional.empty(),
                java.util.Map.of("KUBECONFIG", missing.toString()), dir))
                .hasFieldOrPropertyWithValue("reason", "KUBECONFIG_MISSING")
                .hasMessage("$KUBECONFIG names " + missing + ", which does not exist");
    }

    @Test
    void noKubeconfigAnywhereSaysWhereItLooked() {
        assertThatThrownBy(() -> ClusterConnection.open(Optional.empty(), Optional.empty(), java.util.Map.of(), dir))
                .hasFieldOrPropertyWithValue("reason", "KUBECONFIG_MISSING")
                .hasMessageContaining(dir.resolve(".kube/config").toString());
    }

    @Test
    void aBrokenKubeconfigIsOneClearMessage() throws Exception {
        Path broken = dir.resolve("broken");
        java.nio.file.Files.writeString(broken, "apiVersion: v1\nclusters: [ {\n  name: x\n");
        Path noContext = dir.resolve("no-context");
        java.nio.file.Files.writeString(noContext, "apiVersion: v1\nkind: Config\n");

        assertThatThrownBy(() -> ClusterConnection.open(Optional.of(broken), Optional.empty(), java.util.Map.of(), dir))
                .hasFieldOrPropertyWithValue("reason", "KUBECONFIG_INVALID")
                .hasMessageStartingWith("kubeconfig " + broken + " cannot be read: ")
                .hasNoCause();
        assertThatThrownBy(() -> ClusterConnection.open(Optional.of(noContext), Optional.empty(), java.util.Map.of(), dir))
                .hasFieldOrPropertyWithValue("reason", "KUBECONFIG_INVALID")
                .hasMessage("kubeconfig " + noContext + " has no current context");
    }

    @Test
    void refusalByTheServerNamesTheObject() throws Exception {
        server.expect().get().withPath("/apis/build.openshift.io/v1/namespaces/ci/buildconfigs/builder-golang--art-builder")
                .andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
                        + "\"message\":\"buildconfigs is forbidden\"}")
                .always();

        assertThatThrownBy(() -> new StreamsApplier(client).apply(generate(TEMPLATE, false), line -> {}))
                .hasFieldOrPropertyWithValue("reason", "CLUSTER_APPLY_FAILED")
                .hasMessage("cannot apply BuildConfig ci/builder-golang--art-builder to " + client.getMasterUrl()
                        + ": HTTP 403 buildconfigs is forbidden");
    }

    private Path writeKubeconfig(String serverUrl) throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: %s
                users:
                  - name: tester
                    user:
                      token: not-a-real-token
                contexts:
                  - name: mock
                    context:
                      cluster: mock
                      user: tester
                      namespace: ci
                current-context: mock
                """.formatted(serverUrl));
        return file;
    }
}
