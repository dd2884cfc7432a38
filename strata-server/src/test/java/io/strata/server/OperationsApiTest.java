package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.store.QueueEntry;
import io.strata.server.api.ApiJson;
import io.strata.testkit.PrometheusText;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating the service over HTTP, on a real server with the dry-run engine: /metrics parsed strictly
 * (queue, running, durations, failures, store latency, store_up), the engine routes (list, drain and
 * undrain, admins only, unknown names refused), and the admission bound (429 with Retry-After).
 */
class OperationsApiTest {
    static final String REQUEST = ServerApiTest.REQUEST;

    @TempDir
    Path home;

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return ApiJson.MAPPER.readTree(response.body());
    }

    private static PrometheusText scrape(ServedApi api) throws Exception {
        HttpResponse<String> metrics = api.get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return PrometheusText.parse(metrics.body());
    }

    private static String state(ServedApi api, String token, String id) throws Exception {
        return json(api.get("/api/v1/builds/" + id, token)).get("state").asText();
    }

    /** Polls the build until it is in {@code state}; the test's own timeout ends a hang. */
    private static void awaitState(ServedApi api, String token, String id, String state) throws Exception {
        while (!state(api, token, id).equals(state)) {
            Thread.sleep(50);
        }
    }

    @Test
    void metricsCountTheQueueByEngineAndPlatformAndTheStoreAnswers() throws Exception {
        try (ServedApi api = new ServedApi(home, Map.of("STRATA_DRY_RUN_DELAY", "10m", "STRATA_CONCURRENCY", "1"),
                StrataServer.KEEP_ALIVE)) {
            String alice = api.token("alice", false);
            String first = json(api.post("/api/v1/builds", alice, REQUEST)).get("id").asText();
            awaitState(api, alice, first, "RUNNING");
            api.post("/api/v1/builds", alice, REQUEST);
            api.post("/api/v1/builds", alice, REQUEST);
            String platform = json(api.get("/api/v1/builds/" + first, alice)).get("request").get("platforms").get(0).asText();

            PrometheusText metrics = scrape(api);

            Map<String, String> queue = Map.of("engine", "dry-run", "platform", platform);
            assertThat(metrics.value("strata_queue_length", queue)).contains(2.0);
            assertThat(metrics.value("strata_builds_running", queue)).contains(1.0);
            assertThat(metrics.value("strata_builds_running_here")).contains(1.0);
            assertThat(metrics.value("strata_store_up")).contains(1.0);
            assertThat(metrics.type("strata_store_latency_seconds")).contains("histogram");
            assertThat(metrics.value("strata_store_latency_seconds_count", Map.of("kind", "write"))).hasValueSatisfying(
                    count -> assertThat(count).isGreaterThanOrEqualTo(6));
            assertThat(metrics.value("strata_builds_submitted_total")).contains(3.0);
            assertThat(metrics.type("strata_build_duration_seconds")).contains("histogram");
        }
    }

    @Test
    void buildDurationsAreCountedByOutcome() throws Exception {
        try (ServedApi api = new ServedApi(home, Map.of("STRATA_DRY_RUN_DELAY", "0ms"), StrataServer.KEEP_ALIVE)) {
            String alice = api.token("alice", false);
            for (int i = 0; i < 3; i++) {
                String id = json(api.post("/api/v1/builds", alice, REQUEST)).get("id").asText();
                awaitState(api, alice, id, "COMPLETE");
            }
            PrometheusText metrics = scrape(api);
            // The scheduler reports the end just after storing it: wait for the third one, not for a time.
            while (metrics.value("strata_build_duration_seconds_count", Map.of("outcome", "COMPLETE")).orElse(0.0) < 3) {
                Thread.sleep(50);
                metrics = scrape(api);
            }
            assertThat(metrics.value("strata_build_duration_seconds_count", Map.of("outcome", "COMPLETE"))).contains(3.0);
            assertThat(metrics.value("strata_build_duration_seconds_bucket", Map.of("outcome", "COMPLETE", "le", "+Inf")))
                    .contains(3.0);
            assertThat(metrics.value("strata_queue_length", Map.of("engine", "dry-run"))).as("an empty queue has no series")
                    .isEmpty();
        }
    }

    @Test
    void failuresAreCountedByReasonCode() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        QueueEntry entry = new QueueEntry("dry-run", "x86_64", 0, 3);
        metrics.ended(entry, BuildState.FAILED, Optional.of(new Failure("GIT_UNREACHABLE", "gone", "retry")), Duration.ofSeconds(3));
        metrics.ended(entry, BuildState.FAILED, Optional.of(new Failure("GIT_UNREACHABLE", "gone", "retry")), Duration.ofSeconds(4));
        metrics.ended(entry, BuildState.CANCELLED, Optional.empty(), Duration.ofSeconds(1));

        PrometheusText text = PrometheusText.parse(new String(metrics.scrape(ServiceOperations.none().queue(), () -> 0),
                StandardCharsets.UTF_8));

        assertThat(text.value("strata_build_failures_total", Map.of("reason", "GIT_UNREACHABLE"))).contains(2.0);
        assertThat(text.value("strata_build_duration_seconds_count", Map.of("outcome", "FAILED"))).contains(2.0);
        assertThat(text.value("strata_build_duration_seconds_sum", Map.of("outcome", "FAILED"))).contains(7.0);
        assertThat(text.value("strata_build_duration_seconds_bucket", Map.of("outcome", "FAILED", "le", "5.0"))).contains(2.0);
        assertThat(text.value("strata_build_duration_seconds_count", Map.of("outcome", "CANCELLED"))).contains(1.0);
    }

    @Test
    void pruneIsForAdminsRefusesABadDurationAndReportsWhatItFreed() throws Exception {
        try (ServedApi api = new ServedApi(home, Map.of("STRATA_DRY_RUN_DELAY", "0ms"), StrataServer.KEEP_ALIVE)) {
            String alice = api.token("alice", false);
            String root = api.token("root", true);
            String id = json(api.post("/api/v1/builds", alice, REQUEST)).get("id").asText();
            awaitState(api, alice, id, "COMPLETE");

            HttpResponse<String> refused = api.post("/api/v1/prune?keep_younger_than=0s", alice, "");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json(refused).get("reason").asText()).isEqualTo("ADMIN_REQUIRED");

            for (String bad : new String[] {"a%20month", "", "720x"}) {
                HttpResponse<String> invalid = api.post("/api/v1/prune?keep_younger_than=" + bad, root, "");
                assertThat(invalid.statusCode()).as(bad).isEqualTo(400);
                assertThat(json(invalid).get("reason").asText()).isEqualTo("DURATION_INVALID");
                assertThat(json(invalid).get("message").asText()).contains("keep_younger_than", "is not a duration");
                assertThat(json(invalid).get("hint").asText()).contains("720h");
            }
            HttpResponse<String> missing = api.post("/api/v1/prune", root, "");
            assertThat(missing.statusCode()).isEqualTo(400);

            JsonNode kept = json(api.post("/api/v1/prune?keep_younger_than=720h", root, ""));
            assertThat(kept.get("builds").asInt()).isZero();
            assertThat(api.get("/api/v1/builds/" + id, alice).statusCode()).isEqualTo(200);

            HttpResponse<String> pruned = api.post("/api/v1/prune?keep_younger_than=0s", root, "");
            assertThat(pruned.statusCode()).as(pruned.body()).isEqualTo(200);
            assertThat(json(pruned).get("builds").asInt()).isEqualTo(1);
            assertThat(json(pruned).get("log_lines").asLong()).isPositive();
            assertThat(json(pruned).get("finished_before").asText()).isNotBlank();
            assertThat(api.get("/api/v1/builds/" + id, alice).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aDrainedEngineKeepsNewBuildsPendingUntilUndrainedAndOnlyAdminsDrain() throws Exception {
        try (ServedApi api = new ServedApi(home, Map.of("STRATA_DRY_RUN_DELAY", "0ms"), StrataServer.KEEP_ALIVE)) {
            String alice = api.token("alice", false);
            String admin = api.token("root", true);

            HttpResponse<String> refused = api.post("/api/v1/engines/dry-run/drain", alice, "");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json(refused).get("reason").asText()).isEqualTo("ADMIN_REQUIRED");
            HttpResponse<String> unknown = api.post("/api/v1/engines/warp-drive/drain", admin, "");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown).get("reason").asText()).isEqualTo("ENGINE_UNKNOWN");
            assertThat(json(unknown).get("hint").asText()).contains("dry-run");

            HttpResponse<String> drained = api.post("/api/v1/engines/dry-run/drain", admin, "");
            assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
            assertThat(json(drained).get("drained").asBoolean()).isTrue();
            assertThat(json(drained).get("drained_by").asText()).isEqualTo("root");
            String id = json(api.post("/api/v1/builds", alice, REQUEST)).get("id").asText();
            // Several scheduler passes (500 ms each) go by; a drained engine claims nothing in any of them.
            Thread.sleep(1500);
            assertThat(state(api, alice, id)).isEqualTo("PENDING");
            JsonNode engines = json(api.get("/api/v1/engines", alice));
            JsonNode dryRun = null;
            for (JsonNode engine : engines) {
                if (engine.get("name").asText().equals("dry-run")) {
                    dryRun = engine;
                }
            }
            assertThat(dryRun).isNotNull();
            assertThat(dryRun.get("kind").asText()).isEqualTo("engine");
            assertThat(dryRun.get("drained").asBoolean()).isTrue();
            assertThat(dryRun.get("queued").asInt()).isEqualTo(1);
            assertThat(dryRun.get("concurrency").asInt()).isEqualTo(2);
            assertThat(scrape(api).value("strata_drained", Map.of("kind", "engine", "name", "dry-run"))).contains(1.0);

            HttpResponse<String> undrained = api.post("/api/v1/engines/dry-run/undrain", admin, "");
            assertThat(json(undrained).get("drained").asBoolean()).isFalse();
            awaitState(api, alice, id, "COMPLETE");
        }
    }

    @Test
    void submissionsBeyondTheBoundAre429WithRetryAfterAndNothingStored() throws Exception {
        try (ServedApi api = new ServedApi(home, Map.of("STRATA_DRY_RUN_DELAY", "0ms", "STRATA_QUEUE_MAX_PENDING", "2"),
                StrataServer.KEEP_ALIVE)) {
            String admin = api.token("root", true);
            api.post("/api/v1/engines/dry-run/drain", admin, "");
            assertThat(api.post("/api/v1/builds", admin, REQUEST).statusCode()).isEqualTo(201);
            assertThat(api.post("/api/v1/builds", admin, REQUEST).statusCode()).isEqualTo(201);

            HttpResponse<String> full = api.post("/api/v1/builds", admin, REQUEST);

            assertThat(full.statusCode()).isEqualTo(429);
            assertThat(full.headers().firstValue("Retry-After")).contains("5");
            assertThat(json(full).get("reason").asText()).isEqualTo("QUEUE_FULL");
            assertThat(json(full).get("hint").asText()).contains("strata_queue_max_pending");
            assertThat(json(api.get("/api/v1/builds", admin)).get("builds")).hasSize(2);
            assertThat(scrape(api).value("strata_builds_refused_total")).contains(1.0);
        }
    }
}
