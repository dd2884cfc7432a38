package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.server.api.ApiJson;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.PostgresFixture;
import io.strata.testkit.PrometheusText;
import io.strata.testkit.Signals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet: two real {@code strata serve} processes (the packaged CLI, dry-run engine) on one
 * PostgreSQL started by the fixture, sharing one queue. Builds submitted through both at once each
 * run exactly once (NEW, PENDING, RUNNING, COMPLETE; no second claim), all complete, both members
 * run some, and at no moment do more than strata_concurrency of them run over the fleet (from the
 * recorded transitions). A drain through one member holds the other's claims too.
 */
class FleetIT {
    private static final int BUILDS = 40;
    private static final int CONCURRENCY = 2;
    private static final String REQUEST = """
            {"component": "hello", "git_uri": "https://git.example.com/hello.git", "git_ref": "main"}""";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoServersOnOnePostgresqlRunEveryBuildExactlyOnceWithinTheLimit() throws Exception {
        PostgresFixture postgres = PostgresFixture.start();
        try {
            String store = postgres.jdbcUrl() + "?user=" + postgres.user() + "&password=" + postgres.password();
            ChildEnvironment a = member("a", store);
            ChildEnvironment b = member("b", store);
            try (ServeIT.Served first = ServeIT.serve(dir, a); ServeIT.Served second = ServeIT.serve(dir, b)) {
                TestCli.Run created = PackagedCli.run(a, "tokens", "create", "--user", "alice", "--admin");
                assertThat(created.exit()).as(created.err()).isZero();
                String token = created.out().strip();

                List<String> ids = submitThroughBoth(first.url(), second.url(), token);
                assertThat(ids).hasSize(BUILDS).doesNotHaveDuplicates();

                List<JsonNode> records = new ArrayList<>();
                for (String id : ids) {
                    records.add(awaitEnd(first.url(), token, id));
                }
                List<Interval> running = new ArrayList<>();
                for (JsonNode record : records) {
                    assertThat(record.get("state").asText()).as(record.get("id").asText()).isEqualTo("COMPLETE");
                    List<String> states = new ArrayList<>();
                    record.get("transitions").forEach(t -> states.add(t.get("state").asText()));
                    assertThat(states).as("ran exactly once: " + record.get("id").asText())
                            .containsExactly("NEW", "PENDING", "RUNNING", "COMPLETE");
                    running.add(new Interval(Instant.parse(record.get("transitions").get(2).get("at").asText()),
                            Instant.parse(record.get("transitions").get(3).get("at").asText())));
                }
                assertThat(mostAtOnce(running)).as("builds running at once over the fleet").isBetween(1, CONCURRENCY);

                double ranByFirst = completed(first.url());
                double ranBySecond = completed(second.url());
                // A member counts a build just after storing its end: wait for the count, not for a time.
                Instant giveUp = Instant.now().plus(java.time.Duration.ofMinutes(1)); // a hang, not a timing
                while (ranByFirst + ranBySecond < BUILDS) {
                    assertThat(Instant.now()).as("the members' counts of completed builds").isBefore(giveUp);
                    Thread.sleep(100);
                    ranByFirst = completed(first.url());
                    ranBySecond = completed(second.url());
                }
                assertThat(ranByFirst + ranBySecond).as("each build ended by exactly one member").isEqualTo(BUILDS);
                // Which member runs how many of them is up to the race for free slots (a member whose
                // build ends claims the next at once, so one may win them all): not asserted here.

                drainHoldsTheWholeFleet(first.url(), second.url(), token);
                aBuildSubmittedThroughOneMemberIsRunByTheOther(first, second, token, postgres);
                aBuildSubmittedThroughOneMemberIsRunByTheOther(second, first, token, postgres);
                assertThat(first.stop()).isZero();
                assertThat(second.stop()).isZero();
                assertThat(first.logText() + second.logText()).doesNotContain(postgres.password()).doesNotContain(token);
            }
        } finally {
            postgres.stop();
        }
    }

    private ChildEnvironment member(String name, String store) throws Exception {
        return ServeIT.serverEnvironment(dir.resolve(name), "300ms")
                .with("STRATA_STORE_URL", store)
                .with("STRATA_CONCURRENCY", Integer.toString(CONCURRENCY));
    }

    /** Half the builds through each member, all at once. */
    private List<String> submitThroughBoth(String first, String second, String token) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < BUILDS; i++) {
                String server = i % 2 == 0 ? first : second;
                answers.add(threads.submit(() -> http.send(request(server, "/api/v1/builds", token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                        .build(), HttpResponse.BodyHandlers.ofString())));
            }
            List<String> ids = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(201);
                ids.add(ApiJson.MAPPER.readTree(answer.get().body()).get("id").asText());
            }
            return ids;
        }
    }

    /**
     * Drained with `strata engines drain --server` through the first member, the second claims
     * nothing either; `strata engines list` through the second shows it; undrained, the build runs.
     */
    private void drainHoldsTheWholeFleet(String first, String second, String token) throws Exception {
        ChildEnvironment client = ChildEnvironment.of(java.nio.file.Files.createDirectories(dir.resolve("client")))
                .with("STRATA_HOME", dir.resolve("client/strata").toString()).with("STRATA_SERVER_TOKEN", token);
        TestCli.Run drained = PackagedCli.run(client, "engines", "drain", "dry-run", "--server", first);
        assertThat(drained.exit()).as(drained.err()).isZero();
        assertThat(drained.out()).startsWith("engine dry-run drained:");
        HttpResponse<String> submitted = http.send(request(second, "/api/v1/builds", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = ApiJson.MAPPER.readTree(submitted.body()).get("id").asText();
        // Several passes of both schedulers (500 ms each) go by; neither claims from a drained engine.
        Thread.sleep(1500);
        assertThat(get(second, token, "/api/v1/builds/" + id).get("state").asText()).isEqualTo("PENDING");
        TestCli.Run listed = PackagedCli.run(client, "engines", "list", "--server", second);
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).containsPattern("dry-run\\s+engine\\s+\\S+\\s+" + CONCURRENCY + "\\s+0\\s+1\\s+yes");
        TestCli.Run unknown = PackagedCli.run(client, "engines", "drain", "warp-drive", "--server", second);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("[ENGINE_UNKNOWN]").contains("fix:");
        TestCli.Run undrained = PackagedCli.run(client, "engines", "undrain", "dry-run", "--server", second);
        assertThat(undrained.exit()).as(undrained.err()).isZero();
        assertThat(awaitEnd(first, token, id).get("state").asText()).isEqualTo("COMPLETE");
    }

    /**
     * The queue is the fleet's, not the member's: a build submitted through {@code through} while
     * the engine is drained, then left PENDING as that member is frozen (SIGSTOP), is claimed and run
     * by {@code other} once undrained. Deterministic: the frozen member cannot take it.
     */
    private void aBuildSubmittedThroughOneMemberIsRunByTheOther(ServeIT.Served through, ServeIT.Served other, String token,
            PostgresFixture postgres) throws Exception {
        ChildEnvironment client = ChildEnvironment.of(java.nio.file.Files.createDirectories(dir.resolve("client")))
                .with("STRATA_HOME", dir.resolve("client/strata").toString()).with("STRATA_SERVER_TOKEN", token);
        double ranByOther = completed(other.url());
        TestCli.Run drained = PackagedCli.run(client, "engines", "drain", "dry-run", "--server", other.url());
        assertThat(drained.exit()).as(drained.err()).isZero();
        HttpResponse<String> submitted = http.send(request(through.url(), "/api/v1/builds", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        String id = ApiJson.MAPPER.readTree(submitted.body()).get("id").asText();
        freezeOutsideATransaction(through.process(), postgres);
        try {
            TestCli.Run undrained = PackagedCli.run(client, "engines", "undrain", "dry-run", "--server", other.url());
            assertThat(undrained.exit()).as(undrained.err()).isZero();
            assertThat(awaitEnd(other.url(), token, id).get("state").asText()).isEqualTo("COMPLETE");
            Instant giveUp = Instant.now().plus(java.time.Duration.ofMinutes(1)); // a hang, not a timing
            while (completed(other.url()) < ranByOther + 1) {
                assertThat(Instant.now()).as("the other member's count of completed builds").isBefore(giveUp);
                Thread.sleep(100); // counted just after the end is stored
            }
        } finally {
            signal("CONT", through.process());
        }
    }

    /**
     * SIGSTOP, but never while the member is inside a transaction: frozen there, it would hold the
     * build's row lock, which every other member's claim skips (CI20 hung so, the frozen member's
     * claim "idle in transaction" for 15 minutes). Frozen, then looked at: a transaction still open
     * after a pause is the frozen member's, so it is let go and frozen again.
     */
    private static void freezeOutsideATransaction(Process member, PostgresFixture postgres) throws Exception {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                java.sql.PreparedStatement open = db.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")) {
            for (int attempt = 1; ; attempt++) {
                signal("STOP", member);
                Thread.sleep(300); // the other member's transactions last milliseconds
                try (java.sql.ResultSet count = open.executeQuery()) {
                    count.next();
                    if (count.getInt(1) == 0) {
                        return;
                    }
                }
                assertThat(attempt).as("attempts to freeze a member outside a transaction").isLessThan(50);
                signal("CONT", member);
                Thread.sleep(50);
            }
        }
    }

    private static void signal(String name, Process process) throws Exception {
        Signals.send(name, process.pid());
    }

    private record Interval(Instant start, Instant end) {}

    /** The most intervals open at one instant; an end and a start at the same instant do not overlap. */
    static int mostAtOnce(List<Interval> intervals) {
        record Edge(Instant at, int change) {}
        List<Edge> edges = new ArrayList<>();
        for (Interval i : intervals) {
            edges.add(new Edge(i.start(), 1));
            edges.add(new Edge(i.end(), -1));
        }
        edges.sort(Comparator.comparing(Edge::at).thenComparing(Edge::change));
        int open = 0;
        int most = 0;
        for (Edge edge : edges) {
            open += edge.change();
            most = Math.max(most, open);
        }
        return most;
    }

    private double completed(String server) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(server + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return PrometheusText.parse(body).value("strata_build_duration_seconds_count", Map.of("outcome", "COMPLETE"))
                .orElse(0.0);
    }

    private JsonNode awaitEnd(String server, String token, String id) throws Exception {
        // Not a timing assertion: a dry-run build ends in milliseconds; this only turns a hang into a failure.
        Instant giveUp = Instant.now().plus(java.time.Duration.ofMinutes(5));
        while (true) {
            assertThat(Instant.now()).as("build %s still not ended", id).isBefore(giveUp);
            JsonNode record = get(server, token, "/api/v1/builds/" + id);
            String state = record.get("state").asText();
            if (state.equals("COMPLETE") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return record;
            }
            Thread.sleep(100);
        }
    }

    private JsonNode get(String server, String token, String path) throws Exception {
        HttpResponse<String> answer = http.send(request(server, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return ApiJson.MAPPER.readTree(answer.body());
    }

    private static HttpRequest.Builder request(String server, String path, String token) {
        return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token);
    }
}
