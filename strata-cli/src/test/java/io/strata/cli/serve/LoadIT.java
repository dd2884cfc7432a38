package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.server.api.ApiJson;
import io.strata.testkit.ChildEnvironment;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 REST submissions at once to a real {@code strata serve} (packaged CLI, embedded store,
 * dry-run builds that take ten minutes, strata_queue_max_pending = 50): each is answered 201 or 429
 * with Retry-After, none is lost, the builds in the store are exactly the accepted ones, and the
 * bound held (at most 50 waiting plus the strata_concurrency that started meanwhile). Prints the
 * counts: how many were accepted depends on how the requests interleave.
 */
class LoadIT {
    private static final int SUBMISSIONS = 200;
    private static final int MAX_PENDING = 50;
    private static final int CONCURRENCY = 2;
    private static final String REQUEST = """
            {"component": "hello", "git_uri": "https://git.example.com/hello.git", "git_ref": "main"}""";

    @TempDir
    Path dir;

    @Test
    void twoHundredConcurrentSubmissionsAreEachAcceptedOrRefusedAndNoneIsLost() throws Exception {
        ChildEnvironment server = ServeIT.serverEnvironment(dir.resolve("server"), "10m")
                .with("STRATA_QUEUE_MAX_PENDING", Integer.toString(MAX_PENDING))
                .with("STRATA_CONCURRENCY", Integer.toString(CONCURRENCY));
        try (ServeIT.Served served = ServeIT.serve(dir, server)) {
            TestCli.Run created = PackagedCli.run(server, "tokens", "create", "--user", "alice", "--admin");
            assertThat(created.exit()).as(created.err()).isZero();
            String token = created.out().strip();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            List<HttpResponse<String>> answers = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HttpResponse<String>>> pending = new ArrayList<>();
                for (int i = 0; i < SUBMISSIONS; i++) {
                    pending.add(threads.submit(() -> {
                        // 200 clients, each on a connection of its own: one shared client would send a
                        // POST on a kept-alive connection the server may be closing, which HTTP/1.1
                        // clients never retry for a POST (not a refusal by the service).
                        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                            go.await();
                            return client.send(HttpRequest.newBuilder(URI.create(served.url() + "/api/v1/builds"))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
                        }
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> answer : pending) {
                    answers.add(answer.get());
                }
            }

            Set<String> accepted = new HashSet<>();
            int refused = 0;
            for (HttpResponse<String> answer : answers) {
                assertThat(answer.statusCode()).as(answer.body()).isIn(201, 429);
                if (answer.statusCode() == 201) {
                    accepted.add(ApiJson.MAPPER.readTree(answer.body()).get("id").asText());
                } else {
                    refused++;
                    assertThat(answer.headers().firstValue("Retry-After")).as("429 says when to come back").isPresent();
                    assertThat(ApiJson.MAPPER.readTree(answer.body()).get("reason").asText()).isEqualTo("QUEUE_FULL");
                }
            }
            assertThat(accepted.size() + refused).isEqualTo(SUBMISSIONS);
            System.out.println("LoadIT: " + accepted.size() + " accepted, " + refused + " refused with 429");
            assertThat(accepted).as("accepted builds: the bound, plus the builds that started meanwhile").isNotEmpty()
                    .hasSizeLessThanOrEqualTo(MAX_PENDING + CONCURRENCY);
            assertThat(refused).as("refused submissions").isPositive();
            assertThat(stored(http, served.url(), token)).as("the store holds exactly the accepted builds").isEqualTo(accepted);
            assertThat(served.stop()).isZero();
        }
    }

    /** Every build id in the store, through all pages of the listing. */
    private static Set<String> stored(HttpClient http, String url, String token) throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            String query = "?limit=100" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/builds" + query))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = ApiJson.MAPPER.readTree(page.body());
            body.get("builds").forEach(b -> ids.add(b.get("id").asText()));
            cursor = body.hasNonNull("next_cursor") ? body.get("next_cursor").asText() : null;
        } while (cursor != null);
        return ids;
    }
}
