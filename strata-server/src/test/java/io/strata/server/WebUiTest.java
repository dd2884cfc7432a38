package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.local.store.ApiTokens;
import io.strata.server.api.ApiJson;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI over HTTP on a real server (dry-run engine): what is open and what needs a sign-in,
 * the session cookie, bearer tokens on pages, escaping of values from a build, the cancel form's
 * session check, filters and paging, and the log stream. The browser side is WebUiIT (strata-cli).
 */
class WebUiTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path home;

    static ServedApi api;
    static String alice;

    @BeforeAll
    static void start() throws Exception {
        api = new ServedApi(home, "300ms");
        alice = api.token("alice", false);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        assertThat(api.log()).doesNotContain("strata_").doesNotContain(Sessions_COOKIE_VALUE_MARK);
    }

    /** No session id ever reaches the server log: the log lines hold method, route, status and user. */
    private static final String Sessions_COOKIE_VALUE_MARK = "strata_session=";

    @Test
    void everyPageAndStreamNeedsASignInAndOnlyLoginAndAssetsAreOpen() throws Exception {
        String id = submit(alice, "{\"component\": \"open\", \"git_uri\": \"https://git.example.com/x.git\", \"git_ref\": \"main\"}");
        for (var endpoint : api.server.ui().endpoints()) {
            String path = endpoint.path.replace("{id}", id).replace("{name}", "strata.js");
            HttpResponse<String> answer = endpoint.method.name().equals("GET") ? api.get(path, null) : postForm(path, null, "");
            String route = endpoint.method + " " + endpoint.path;
            switch (route) {
                case "GET /login", "GET /ui/assets/{name}" -> assertThat(answer.statusCode()).as(route).isEqualTo(200);
                case "POST /login" -> assertThat(answer.statusCode()).as(route).isEqualTo(401);
                case "GET /ui/builds/stream", "GET /builds/{id}/updates" ->
                        assertThat(answer.statusCode()).as(route).isEqualTo(401);
                default -> {
                    assertThat(answer.statusCode()).as(route).isEqualTo(302);
                    assertThat(answer.headers().firstValue("Location").orElseThrow()).as(route)
                            .isEqualTo("/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(api.get("/ui/assets/strata.css", null).headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        assertThat(api.get("/ui/assets/secrets.txt", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void signingInSetsAnHttpOnlyStrictSessionCookieThatDoesNotHoldTheToken() throws Exception {
        HttpResponse<String> bad = postForm("/login", null, "token=strata_nonsense&next=%2F");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(bad.body()).contains("not a Strata API token");

        HttpResponse<String> signedIn = postForm("/login", null, "token=" + alice + "&next=%2Fbuilds%2Fx");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains("/builds/x");
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("strata_session=").contains("; HttpOnly").contains("; SameSite=Strict").contains("Path=/")
                .doesNotContain(alice).doesNotContain(alice.substring(7, 30));
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> page = send(api.request("/", null).header("Cookie", session).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Builds</h1>").contains("alice");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");

        // Another site's address in next is not followed.
        HttpResponse<String> elsewhere = postForm("/login", null, "token=" + alice + "&next=%2F%2Fevil.example%2F");
        assertThat(elsewhere.headers().firstValue("Location")).contains("/");
    }

    @Test
    void aBearerTokenOpensPagesAndABadOneIsRefusedNotIgnored() throws Exception {
        assertThat(api.get("/", alice).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = send(api.request("/", null).header("Authorization", "Bearer strata_nope").GET());
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).contains("TOKEN_MALFORMED");
    }

    @Test
    void labelsAndRequestFieldsHoldingMarkupAreShownAsText() throws Exception {
        String id = submit(alice, """
                {"component": "escapes", "git_uri": "https://git.example.com/x.git", "git_ref": "main",
                 "labels": {"note": "<script>alert('label')</script>", "other": "<b>bold</b> v&w"}}""");
        HttpResponse<String> page = api.get("/builds/" + id, alice);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;")
                .contains("&lt;b&gt;bold&lt;/b&gt; v&amp;w").doesNotContain("<script>alert")
                .doesNotContain("<b>bold").contains("id=\"request-labels\"");
        assertThat(api.get("/", alice).body()).contains("/builds/" + id);
    }

    @Test
    void theCancelFormNeedsTheSessionsFormValueAndThenCancels(@TempDir Path slowHome) throws Exception {
        try (ServedApi slow = new ServedApi(slowHome, "10m")) {
            String token = slow.token("carol", false);
            HttpResponse<String> created = slow.post("/api/v1/builds", token,
                    "{\"component\": \"slow\", \"git_uri\": \"https://git.example.com/x.git\", \"git_ref\": \"main\"}");
            String id = ApiJson.MAPPER.readTree(created.body()).get("id").asText();
            HttpResponse<String> signedIn = send(slow.request("/login", null).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
            String session = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

            HttpResponse<String> page = send(slow.request("/builds/" + id, null).header("Cookie", session).GET());
            assertThat(page.body()).contains("id=\"cancel\"");
            Matcher csrf = CSRF.matcher(page.body());
            assertThat(csrf.find()).isTrue();

            HttpResponse<String> forged = send(slow.request("/builds/" + id + "/cancel", null).header("Cookie", session)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=guess")));
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.body()).contains("FORM_EXPIRED");

            HttpResponse<String> cancelled = send(slow.request("/builds/" + id + "/cancel", null).header("Cookie", session)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(303);
            assertThat(cancelled.headers().firstValue("Location")).contains("/builds/" + id);
            String state = "";
            for (int look = 0; look < 600 && !state.equals("CANCELLED"); look++) {
                state = ApiJson.MAPPER.readTree(slow.get("/api/v1/builds/" + id, token).body()).get("state").asText();
                Thread.sleep(100);
            }
            assertThat(state).isEqualTo("CANCELLED");
            assertThat(send(slow.request("/builds/" + id, null).header("Cookie", session).GET()).body()).doesNotContain("id=\"cancel\"");
        }
    }

    @Test
    void revokingTheTokenOrSigningOutEndsTheSession() throws Exception {
        ApiTokens.Created created = api.tokens().create("dave", false, Optional.empty());
        String first = signIn(created.secret());
        String second = signIn(created.secret());
        assertThat(send(api.request("/", null).header("Cookie", first).GET()).statusCode()).isEqualTo(200);

        HttpResponse<String> page = send(api.request("/", null).header("Cookie", second).GET());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> out = send(api.request("/logout", null).header("Cookie", second)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(send(api.request("/", null).header("Cookie", second).GET()).statusCode()).isEqualTo(302);

        api.tokens().revoke(created.token().id());
        assertThat(send(api.request("/", null).header("Cookie", first).GET()).statusCode()).isEqualTo(302);
    }

    @Test
    void theListFiltersPagesAndSaysWhichFilterItCannotRead() throws Exception {
        String token = api.token("erin", false);
        String a = submit(token, "{\"component\": \"filter-a\", \"git_uri\": \"https://git.example.com/x.git\", \"git_ref\": \"main\"}");
        String b = submit(token, "{\"component\": \"filter-b\", \"git_uri\": \"https://git.example.com/x.git\", \"git_ref\": \"main\"}");
        String onlyA = api.get("/?component=filter-a", token).body();
        assertThat(onlyA).contains("/builds/" + a).doesNotContain("/builds/" + b);

        String first = api.get("/?limit=1", token).body();
        assertThat(first).contains("/builds/" + b).doesNotContain("/builds/" + a).contains("Next page");
        Matcher next = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String second = api.get(next.group(1).replace("&amp;", "&"), token).body();
        assertThat(second).contains("/builds/" + a).contains("First page");

        HttpResponse<String> bad = api.get("/?after=yesterday%3Cb%3E", token);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("after &#39;yesterday&lt;b&gt;&#39; is not a time");
        assertThat(api.get("/?state=RUNNING&component=nobody", token).body()).contains("No builds match");
    }

    @Test
    void theBuildStreamSendsEveryLogLineOnceResumesAndEndsAndTheDownloadHoldsThemAll() throws Exception {
        String id = submit(alice, "{\"component\": \"logs\", \"git_uri\": \"https://git.example.com/x.git\", \"git_ref\": \"main\"}");
        HttpResponse<String> stream = api.get("/builds/" + id + "/updates", alice);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        long lines = stream.body().lines().filter(l -> l.equals("event: log")).count();
        assertThat(stream.body()).contains("event: live").contains("event: end").contains("COMPLETE");
        JsonNode all = ApiJson.MAPPER.readTree(api.get("/api/v1/builds/" + id + "/logs", alice).body()).get("lines");
        assertThat(lines).isEqualTo(all.size()).isPositive();
        // Each line's event id is where the page's logs stand after it.
        assertThat(stream.body()).contains("id: " + id + ":" + all.size() + "\n");
        HttpResponse<String> download = api.get("/builds/" + id + "/log.txt", alice);
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("strata-" + id + ".log");
        assertThat(download.body().lines().count()).isEqualTo(all.size());

        // The page names the section it shows and where its log stands: the stream sends only what is new.
        String page = api.get("/builds/" + id, alice).body();
        Matcher seen = Pattern.compile("updates\\?seen=([0-9a-f]+)").matcher(page);
        assertThat(seen.find()).isTrue();
        assertThat(page).contains("data-after=\"" + all.size() + "\"");
        String unchanged = api.get("/builds/" + id + "/updates?seen=" + seen.group(1) + "&after=" + id + ":" + all.size(), alice).body();
        assertThat(unchanged).contains("event: end").doesNotContain("event: live").doesNotContain("event: log");
        // A reconnecting browser's Last-Event-ID wins over the page's ?after=.
        String resumed = send(api.request("/builds/" + id + "/updates?after=" + id + ":0", alice)
                .header("Last-Event-ID", id + ":" + (all.size() - 1)).GET()).body();
        assertThat(resumed.lines().filter(l -> l.equals("event: log")).count()).isEqualTo(1);
        HttpResponse<String> bad = api.get("/builds/" + id + "/updates?after=nonsense", alice);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("QUERY_PARAMETER_INVALID");
    }

    private static String submit(String token, String body) throws Exception {
        HttpResponse<String> created = api.post("/api/v1/builds", token, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return ApiJson.MAPPER.readTree(created.body()).get("id").asText();
    }

    private static String signIn(String token) throws Exception {
        HttpResponse<String> signedIn = postForm("/login", null, "token=" + token);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        return signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static HttpResponse<String> postForm(String path, String token, String form) throws Exception {
        return send(api.request(path, token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return api.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
