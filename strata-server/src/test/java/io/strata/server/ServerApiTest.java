package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.core.config.StrataSettings;
import io.strata.server.api.ApiJson;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on a real server (Javalin on loopback, store on SQLite, dry-run engine and its
 * scheduler): submit, get, list with paging and filters, cancel, both event streams with resume,
 * ownership, the open endpoints, and every kind of bad input as a 4xx JSON error with reason,
 * message and hint, never a stack trace.
 */
class ServerApiTest {
    static final String REQUEST = """
            {"component": "hello", "git_uri": "https://git.example.com/hello.git", "git_ref": "main"}""";

    @TempDir
    static Path home;

    static ServedApi api;
    static String alice;
    static String bob;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        api = new ServedApi(home, "300ms");
        alice = api.token("alice", false);
        bob = api.token("bob", false);
        admin = api.token("root", true);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        assertThat(api.log()).doesNotContain(alice).doesNotContain(bob).doesNotContain(admin)
                .doesNotContain("strata_");
    }

    @Test
    void submitAnswers201WithTheRecordAndGetAnswersTheSameRecord() throws Exception {
        HttpResponse<String> created = api.post("/api/v1/builds", alice, REQUEST);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode record = json(created);
        String id = record.get("id").asText();
        assertThat(record.get("state").asText()).isEqualTo("PENDING");
        assertThat(record.get("request").get("component").asText()).isEqualTo("hello");
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/builds/" + id);

        HttpResponse<String> got = api.get("/api/v1/builds/" + id, alice);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(json(got).get("id").asText()).isEqualTo(id);
        assertThat(json(got).get("request")).isEqualTo(record.get("request"));
    }

    @Test
    void aCustomizeDocumentInTheRequestShapesThePlanAndABadOneIs400() throws Exception {
        HttpResponse<String> created = api.post("/api/v1/builds", alice, REQUEST.replace("}", ", \"customize\": {"
                + "\"disable_plugins\": [{\"plugin_type\": \"postbuild_plugins\", \"plugin_name\": \"gather_image_content\"}]}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("plan_json").asText()).contains("tag_and_push").doesNotContain("gather_image_content");
        assertThat(json(api.post("/api/v1/builds", alice, REQUEST)).get("plan_json").asText()).contains("gather_image_content");

        assertError(api.post("/api/v1/builds", alice, REQUEST.replace("}", ", \"customize\": {\"disable_plugins\": \"all\"}}")),
                400, "CONFIG_INVALID");
    }

    @Test
    void aCredentialInTheGitUriIsInNoAnswerAndNoLogLine() throws Exception {
        HttpResponse<String> created = api.post("/api/v1/builds", alice,
                REQUEST.replace("https://git.example.com/hello.git", "https://alice:s3cr3t-pw@git.example.com/hello.git"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asText();
        stream("/api/v1/builds/" + id + "/events", alice, null);
        assertThat(created.body()).doesNotContain("s3cr3t-pw");
        assertThat(api.get("/api/v1/builds/" + id, alice).body()).doesNotContain("s3cr3t-pw");
        assertThat(api.get("/api/v1/builds?limit=1000", alice).body()).doesNotContain("s3cr3t-pw");
        assertThat(api.get("/api/v1/builds/" + id + "/logs?limit=10000", alice).body()).doesNotContain("s3cr3t-pw");
        assertThat(api.log()).doesNotContain("s3cr3t-pw");
    }

    @Test
    void theStateStreamShowsEveryStateUntilTheEndAndResumesAfterLastEventId() throws Exception {
        String id = submit(alice);
        List<String[]> events = stream("/api/v1/builds/" + id + "/events", alice, null);
        assertThat(events).extracting(e -> e[0]).endsWith("end");
        List<String> states = events.stream().filter(e -> e[0].equals("state"))
                .map(e -> ApiJsonTree.read(e[2]).get("state").asText()).toList();
        assertThat(states).containsSubsequence("NEW", "PENDING", "RUNNING", "COMPLETE");
        assertThat(ApiJsonTree.read(events.getLast()[2]).get("state").asText()).isEqualTo("COMPLETE");

        List<String[]> resumed = stream("/api/v1/builds/" + id + "/events", alice, "2");
        assertThat(resumed.stream().filter(e -> e[0].equals("state")).map(e -> Long.parseLong(e[1])))
                .isNotEmpty().allMatch(index -> index > 2);
        List<String[]> byQuery = stream("/api/v1/builds/" + id + "/events?after=" + (states.size() - 1), alice, null);
        assertThat(byQuery.stream().filter(e -> e[0].equals("state"))).hasSize(1);
    }

    @Test
    void theLogStreamDeliversEveryLineOnceAndResumesFromASequenceNumber() throws Exception {
        String id = submit(alice);
        List<String[]> events = stream("/api/v1/builds/" + id + "/logs/stream", alice, null);
        List<Long> sequences = events.stream().filter(e -> e[0].equals("log")).map(e -> Long.parseLong(e[1])).toList();
        assertThat(sequences).isNotEmpty();
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(i + 1L);
        }
        assertThat(events.getLast()[0]).isEqualTo("end");
        List<String[]> resumed = stream("/api/v1/builds/" + id + "/logs/stream?after=1", alice, null);
        assertThat(resumed.stream().filter(e -> e[0].equals("log")).map(e -> Long.parseLong(e[1])).toList())
                .isEqualTo(sequences.subList(1, sequences.size()));

        JsonNode page = json(api.get("/api/v1/builds/" + id + "/logs?after=0&limit=1", alice));
        assertThat(page.get("lines")).hasSize(1);
        assertThat(page.get("last_sequence").asLong()).isEqualTo(1);
    }

    @Test
    void listingPagesWithACursorAndFilters() throws Exception {
        String user = "pager";
        String token = api.token(user, false);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(submit(token));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(api.get("/api/v1/builds?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token));
            page.get("builds").forEach(b -> seen.add(b.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(ids.reversed());

        JsonNode filtered = json(api.get("/api/v1/builds?component=nothing-like-this", token));
        assertThat(filtered.get("builds")).isEmpty();
        assertThat(filtered.get("next_cursor").isNull()).isTrue();
        JsonNode byTime = json(api.get("/api/v1/builds?created_after=2999-01-01T00:00:00Z", token));
        assertThat(byTime.get("builds")).isEmpty();
    }

    /**
     * On a service of its own whose dry-run builds last ten minutes, so the cancel always lands before
     * the build could end by itself (queued: at once; running: at the worker's next heartbeat).
     */
    @Test
    void aUserSeesAndCancelsOnlyTheirOwnBuildsAndAnAdminEveryones(@TempDir Path slowHome) throws Exception {
        try (ServedApi slow = new ServedApi(slowHome, "10m")) {
            String owner = slow.token("alice", false);
            String other = slow.token("bob", false);
            String root = slow.token("root", true);
            HttpResponse<String> created = slow.post("/api/v1/builds", owner, REQUEST);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = json(created).get("id").asText();

            assertError(slow.get("/api/v1/builds/" + id, other), 403, "NOT_YOUR_BUILD");
            assertError(slow.post("/api/v1/builds/" + id + "/cancel", other, ""), 403, "NOT_YOUR_BUILD");
            assertError(slow.get("/api/v1/builds/" + id + "/events", other), 403, "NOT_YOUR_BUILD");
            assertThat(json(slow.get("/api/v1/builds", other)).get("builds")).isEmpty();
            assertThat(json(slow.get("/api/v1/builds", owner)).get("builds")).hasSize(1);
            assertThat(json(slow.get("/api/v1/builds?user=alice", root)).get("builds")).hasSize(1);
            assertThat(slow.get("/api/v1/builds/" + id, root).statusCode()).isEqualTo(200);

            HttpResponse<String> cancelled = slow.post("/api/v1/builds/" + id + "/cancel", root, "");
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
            List<String[]> events = stream(slow, "/api/v1/builds/" + id + "/events", owner, null);
            assertThat(ApiJsonTree.read(events.getLast()[2]).get("state").asText()).isEqualTo("CANCELLED");
            assertThat(json(slow.get("/api/v1/builds/" + id, owner)).get("state").asText()).isEqualTo("CANCELLED");
            assertError(slow.post("/api/v1/builds/" + id + "/cancel", owner, ""), 409, "BUILD_NOT_RUNNING");
        }
    }

    /**
     * A client that leaves a stream of a build sitting in one state is noticed at the next
     * keep-alive comment and its follower ends (the open-streams gauge goes back to 0), instead of
     * waiting for the build's next state, ten minutes away here.
     */
    @Test
    void aStreamWhoseClientLeftEndsAtTheNextKeepAlive(@TempDir Path slowHome) throws Exception {
        try (ServedApi slow = new ServedApi(slowHome, "10m", Duration.ofMillis(200))) {
            String owner = slow.token("alice", false);
            String id = json(slow.post("/api/v1/builds", owner, REQUEST)).get("id").asText();
            HttpResponse<InputStream> response = slow.http.send(slow.request("/api/v1/builds/" + id + "/events", owner)
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            for (String line = events.readLine(); !line.startsWith("event: state"); line = events.readLine()) {
                // up to the first event
            }
            assertThat(openStreams(slow)).isEqualTo(1.0);
            response.body().close();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (openStreams(slow) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(openStreams(slow)).as("streams still followed after the client left").isZero();
        }
    }

    private static double openStreams(ServedApi served) throws Exception {
        return served.get("/metrics", null).body().lines().filter(l -> l.startsWith("strata_event_streams_open "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void openEndpointsNeedNoToken() throws Exception {
        assertThat(api.get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
        HttpResponse<String> openApi = api.get("/api/v1/openapi.json", null);
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(json(openApi).get("openapi").asText()).startsWith("3.");
        submit(alice);
        HttpResponse<String> metrics = api.get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("strata_http_requests_total").contains("strata_builds_submitted_total");
    }

    @Test
    void requestsWithoutAValidTokenAre401() throws Exception {
        assertError(api.get("/api/v1/builds", null), 401, "TOKEN_MISSING");
        assertError(api.send(api.request("/api/v1/builds", null).header("Authorization", "Basic YTpi").GET()), 401,
                "TOKEN_MALFORMED");
        assertError(api.get("/api/v1/builds", "not-a-token"), 401, "TOKEN_MALFORMED");
        assertError(api.get("/api/v1/builds", "strata_" + "x".repeat(43)), 401, "TOKEN_INVALID");
        String revoked = api.token("carol", false);
        api.tokens().revoke(api.tokens().list().getLast().id());
        assertError(api.get("/api/v1/builds", revoked), 401, "TOKEN_INVALID");
        // A token made by a clock of yesterday with an hour to live is expired now.
        try (JdbcBuildStore yesterday = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(),
                Optional.empty(), Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC))) {
            String expired = yesterday.apiTokens().create("dave", false, Optional.of(Duration.ofHours(1))).secret();
            HttpResponse<String> answer = api.get("/api/v1/builds", expired);
            assertError(answer, 401, "TOKEN_EXPIRED");
            assertThat(answer.body()).doesNotContain(expired);
        }
        assertError(api.post("/api/v1/builds", null, REQUEST), 401, "TOKEN_MISSING");
        assertError(api.get("/api/v1/builds/20261122-004512-3f9a1c/events", null), 401, "TOKEN_MISSING");
    }

    @Test
    void badBodiesAre400Or413WithTheReason() throws Exception {
        assertError(api.post("/api/v1/builds", alice, "{\"component\": "), 400, "REQUEST_JSON_MALFORMED");
        assertError(api.post("/api/v1/builds", alice, "[1, 2]"), 400, "REQUEST_JSON_MALFORMED");
        assertError(api.post("/api/v1/builds", alice, ""), 400, "REQUEST_JSON_MALFORMED");
        HttpResponse<String> unknown = api.post("/api/v1/builds", alice,
                "{\"component\": \"a\", \"git_uri\": \"https://h/r.git\", \"git_ref\": \"main\", \"gti_branch\": \"x\"}");
        assertError(unknown, 400, "REQUEST_FIELD_UNKNOWN");
        assertThat(unknown.body()).contains("gti_branch").contains("git_branch");
        assertError(api.post("/api/v1/builds", alice, "{\"component\": \"a\", \"platforms\": \"x86_64\"}"), 400,
                "REQUEST_FIELD_INVALID");
        assertError(api.post("/api/v1/builds", alice, "{\"component\": \"a\", \"scratch\": \"maybe\"}"), 400,
                "REQUEST_FIELD_INVALID");
        String huge = "{\"component\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}";
        assertError(api.post("/api/v1/builds", alice, huge), 413, "REQUEST_TOO_LARGE");
        HttpResponse<String> invalid = api.post("/api/v1/builds", alice, "{\"git_ref\": \"main\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("reason").asText()).isIn("MISSING_COMPONENT", "INVALID_REQUEST", "MISSING_GIT_URI");
    }

    /**
     * The server answers 413 from the declared length, before the client has sent the body. It must
     * still take in what the client sends: a connection closed on unread bytes is reset, and a client
     * still writing then sees no answer at all (CI once saw "header parser received no bytes"). This
     * client writes the whole body, more than the loopback socket buffers hold, before it reads.
     */
    @Test
    void anOversizedBodyIsAnswered413AfterTheClientHasSentItNotWithAResetConnection() throws Exception {
        byte[] body = new byte[12 << 20];
        java.util.Arrays.fill(body, (byte) 'a');
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(60_000);
            String head = "POST /api/v1/builds HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + alice
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("REQUEST_TOO_LARGE");
        }
    }

    @Test
    void badIdsPagingValuesAndRoutesAre4xxWithTheReason() throws Exception {
        assertError(api.get("/api/v1/builds/not-an-id", alice), 400, "BUILD_ID_INVALID");
        assertError(api.post("/api/v1/builds/..%2F..%2Fetc/cancel", alice, ""), 400, "BUILD_ID_INVALID");
        assertError(api.get("/api/v1/builds/20261122-004512-3f9a1c", alice), 404, "BUILD_NOT_FOUND");
        assertError(api.get("/api/v1/builds/20261122-004512-3f9a1c/logs/stream", alice), 404, "BUILD_NOT_FOUND");
        assertError(api.get("/api/v1/builds?limit=abc", alice), 400, "QUERY_PARAMETER_INVALID");
        assertError(api.get("/api/v1/builds?limit=0", alice), 400, "PAGE_LIMIT_INVALID");
        assertError(api.get("/api/v1/builds?limit=100000", alice), 400, "PAGE_LIMIT_INVALID");
        assertError(api.get("/api/v1/builds?cursor=garbage", alice), 400, "PAGE_CURSOR_INVALID");
        assertError(api.get("/api/v1/builds?state=SLEEPING", alice), 400, "QUERY_PARAMETER_INVALID");
        assertError(api.get("/api/v1/builds?created_after=yesterday", alice), 400, "QUERY_PARAMETER_INVALID");
        String id = submit(alice);
        assertError(api.get("/api/v1/builds/" + id + "/logs?after=-3", alice), 400, "QUERY_PARAMETER_INVALID");
        assertError(api.send(api.request("/api/v1/builds/" + id + "/events", alice).header("Last-Event-ID", "x").GET()),
                400, "QUERY_PARAMETER_INVALID");
        assertError(api.get("/api/v1/nothing-here", alice), 404, "ROUTE_NOT_FOUND");
        assertError(api.get("/nothing-here", null), 404, "ROUTE_NOT_FOUND");
    }

    private static String submit(String token) throws Exception {
        HttpResponse<String> created = api.post("/api/v1/builds", token, REQUEST);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    /** Reads a whole event stream (it ends with the build): {event, id, data} per event. */
    private static List<String[]> stream(String path, String token, String lastEventId) throws Exception {
        return stream(api, path, token, lastEventId);
    }

    private static List<String[]> stream(ServedApi api, String path, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = api.request(path, token).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = api.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String[]> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String id = "0";
            String data = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (event != null) {
                        events.add(new String[] {event, id, data});
                    }
                    event = null;
                    id = "0";
                    data = null;
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
        }
        return events;
    }

    static void assertError(HttpResponse<String> answer, int status, String reason) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = json(answer);
        assertThat(error.get("reason").asText()).isEqualTo(reason);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("hint").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("\tat ").doesNotContain("Exception:").doesNotContain("io.javalin");
    }

    static JsonNode json(HttpResponse<String> answer) {
        return ApiJsonTree.read(answer.body());
    }

    /** Reads JSON into a tree for assertions. */
    static final class ApiJsonTree {
        static JsonNode read(String text) {
            try {
                return ApiJson.MAPPER.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }
}
