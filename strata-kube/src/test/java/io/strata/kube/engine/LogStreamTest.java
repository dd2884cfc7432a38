package io.strata.kube.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import io.strata.testkit.kube.MockKubeFixture;
import io.strata.testkit.kube.Route;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A followed log whose stream keeps ending (as the mock's does after every answer, as a real API
 * server's does on a dropped connection), once in the middle of a line: every line reaches the
 * record once, in order, whole.
 */
class LogStreamTest {
    @Test
    @Timeout(120)
    void aStreamThatEndsIsOpenedAgainAndResumesAfterTheLastWholeLineSeen() throws Exception {
        List<String> answers = List.of("", "one\ntw", "one\ntwo\n", "one\ntwo\n[buildah_build] three\n");
        AtomicInteger asked = new AtomicInteger();
        List<String> queries = new CopyOnWriteArrayList<>();
        List<BuildEvent.LogEmitted> lines = new CopyOnWriteArrayList<>();
        try (MockKubeFixture cluster = MockKubeFixture.start(); KubernetesClient client = cluster.newClient()) {
            cluster.add(Route.always("GET", "/api/v1/namespaces/[^/]+/pods/worker/log", (request, path) -> {
                queries.add(request.getPath());
                return new MockResponse().setResponseCode(200).setBody(answers.get(Math.min(asked.getAndIncrement(), answers.size() - 1)));
            }));
            LogPump pump = new LogPump(new BuildId("20261122-004512-3f9a1c"), 7, 0, e -> lines.add((BuildEvent.LogEmitted) e), Clock.systemUTC());

            try (LogStream stream = LogStream.start(client, "api/v1/namespaces/" + cluster.namespace() + "/pods/worker/log", pump, 20, "worker")) {
                // Until the client has had every answer and opened the stream once more after the last:
                // counted where the client reads, not where the server answers (which runs ahead).
                while (pump.served() < 3 || stream.opened() <= answers.size()) {
                    Thread.sleep(20);
                }
            }
        }

        assertThat(lines).extracting(e -> e.line().sequence() + " " + e.line().step() + " " + e.line().text())
                .containsExactly("8 worker one", "9 worker two", "10 buildah_build three");
        assertThat(queries).allSatisfy(query -> assertThat(query).contains("follow=true"));
    }
}
