package io.strata.kube.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.strata.core.StrataException;
import io.strata.kube.worker.WorkerPodContract;
import io.strata.testkit.RefusingPort;
import io.strata.testkit.kube.MockKubeFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Least-loaded placement over two mock clusters, and what happens when one is away, full or forbidden. */
class ClusterPoolTest {
    private static MockKubeFixture busy;
    private static MockKubeFixture quiet;
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        busy = MockKubeFixture.start();
        quiet = MockKubeFixture.start();
        for (int i = 0; i < 2; i++) {
            busy.newClient().pods().resource(new PodBuilder().withNewMetadata().withName("worker-" + i)
                    .addToLabels(WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY).endMetadata().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        busy.close();
        quiet.close();
    }

    private ClusterPool pool(ClusterPool.Member... members) {
        return new ClusterPool(Map.of("x86_64", List.of(members)), Optional.empty(), Clock.systemUTC(),
                new PrintStream(diagnostics, true));
    }

    private static ClusterPool.Member member(String name, MockKubeFixture cluster, int max) {
        return new ClusterPool.Member(new ClusterAccess(name, cluster.newClient(), cluster.namespace()), max);
    }

    @Test
    void theLeastLoadedClusterWithRoomGetsTheBuild() throws StrataException {
        ClusterPool pool = pool(member("busy", busy, 4), member("quiet", quiet, 4));

        assertThat(pool.place("x86_64").member()).map(m -> m.access().name()).contains("quiet");
    }

    @Test
    void loadIsRelativeToEachClustersLimit() throws StrataException {
        var one = quiet.newClient().pods().resource(new PodBuilder().withNewMetadata().withName("one")
                .addToLabels(WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY).endMetadata().build());
        one.create();
        try {
            ClusterPool pool = pool(member("busy", busy, 20), member("quiet", quiet, 2));

            assertThat(pool.place("x86_64").member()).map(m -> m.access().name()).contains("busy"); // 2/20 < 1/2
        } finally {
            one.delete();
        }
    }

    @Test
    void aFullClusterIsSkippedAndAllFullSaysSo() throws StrataException {
        assertThat(pool(member("busy", busy, 2), member("quiet", quiet, 1)).place("x86_64").member())
                .map(m -> m.access().name()).contains("quiet");
        ClusterPool.Placement none = pool(member("busy", busy, 2)).place("x86_64");
        assertThat(none.member()).isEmpty();
        assertThat(none.allFull()).isTrue();
        assertThat(none.refusals()).containsExactly("busy: full (2 of 2)");
    }

    @Test
    void anUnreachableClusterIsSkippedAndNotAskedAgainForAWhile() throws Exception {
        try (RefusingPort refusing = RefusingPort.open()) {
            var down = io.fabric8.kubernetes.client.Config.empty();
            down.setMasterUrl("http://127.0.0.1:" + refusing.port());
            down.setRequestRetryBackoffLimit(0);
            ClusterPool pool = pool(new ClusterPool.Member(new ClusterAccess("down",
                    new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(down).build(), "strata-test"), 4),
                    member("quiet", quiet, 4));

            assertThat(pool.place("x86_64").member()).map(m -> m.access().name()).contains("quiet");
            assertThat(pool.place("x86_64").refusals()).containsExactly("down: unreachable a moment ago");
            assertThat(diagnostics.toString()).contains("cluster down is unreachable");
        }
    }

    @Test
    void aPlatformNoClusterBuildsIsRefusedWithItsReason() {
        assertThatThrownBy(() -> pool(member("quiet", quiet, 4)).place("s390x")).isInstanceOfSatisfying(StrataException.class,
                e -> assertThat(e.reason()).isEqualTo("CLUSTER_NOT_CONFIGURED"));
    }

    @Test
    void whenEveryClusterRefusesWith403ThePlacementFailsForbidden() {
        busy.failNext("GET", "/api/v1/namespaces/[^/]+/pods", 403, 1);

        assertThatThrownBy(() -> pool(member("busy", busy, 4)).placeWaiting("x86_64", () -> false, () -> { }))
                .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.reason()).isEqualTo("CLUSTER_FORBIDDEN"));
    }
}
