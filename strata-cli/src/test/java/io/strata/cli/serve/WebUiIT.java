package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.server.api.ApiJson;
import io.strata.testkit.BuildParts;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.ChromiumFixture;
import io.strata.testkit.GitRepoFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium against the packaged {@code strata serve} with the local
 * engine and real buildah builds (registry on loopback, busybox base image, git repositories): an
 * unauthenticated visit ends at the sign-in form, the list shows a new build and its states live,
 * the build page shows outputs and an HTML-laden log and label as text, a running build's log
 * streams into the page (follow, pause, search), and its cancel button cancels it. Screenshots go
 * to target/ui-screenshots (scripts/ui-screenshots copies them into docs/ui).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
    /** A build that prints markup: the page must show it as characters, never run or render it. */
    static final String HTML_LINE = "<script>document.title='pwned'</script><b id=injected>bold</b>";
    static final String HTML_LABEL = "<img src=x id=injected-label onerror=\"document.title='pwned'\">";
    static final Duration PATIENCE = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    static BuildParts parts;
    static ServeIT.Served server;
    static ChromiumFixture chromium;
    static WebDriver browser;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();
    static final Path shots = ChromiumFixture.screenshotDir(Path.of("").toAbsolutePath());

    @BeforeAll
    static void start() throws Exception {
        parts = BuildParts.start();
        Path home = Files.createDirectories(dir.resolve("server"));
        Path config = Files.writeString(home.resolve("osbs.conf"), "[default]\nregistry_uri = http://" + parts.registry().host()
                + "/v2\nstrata_home = " + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n");
        ChildEnvironment serverSide = ChildEnvironment.of(home);
        server = ServeIT.serve(dir, serverSide, "--config", config.toString());
        TestCli.Run created = PackagedCli.run(serverSide, "tokens", "create", "--user", "alice", "--config", config.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        token = created.out().strip();
        chromium = ChromiumFixture.start(dir, 1280, 900);
        browser = chromium.driver();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
            if (server != null) {
                assertThat(server.stop()).isZero();
                assertThat(server.logText()).doesNotContain(token).doesNotContain("strata_session=");
            }
        } finally {
            if (parts != null) {
                parts.close();
            }
        }
    }

    @Test
    @Order(1)
    void anUnauthenticatedVisitIsSentToSignInAndAWrongTokenIsRefused() {
        browser.get(server.url() + "/builds/20261201-101010-abcdef");
        assertThat(browser.getCurrentUrl()).startsWith(server.url() + "/login?next=");
        assertThat(browser.findElements(By.cssSelector("table.builds"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("20261201-101010-abcdef</");

        browser.get(server.url() + "/");
        assertThat(browser.getCurrentUrl()).startsWith(server.url() + "/login");
        chromium.screenshot(shots.resolve("login.png"));
        browser.findElement(By.id("token")).sendKeys("strata_wrong");
        browser.findElement(By.id("sign-in")).click();
        // The click's form post loads the page again: wait for it, not for the click (CI21 looked too soon).
        assertThat(waitFor(d -> d.findElements(By.id("login-problem")).stream().findFirst().orElse(null)).getText())
                .contains("not a Strata API token");
        assertThat(browser.manage().getCookieNamed("strata_session")).isNull();

        signIn();
        assertThat(browser.getCurrentUrl()).isEqualTo(server.url() + "/");
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).isEqualTo("alice");
        var cookie = browser.manage().getCookieNamed("strata_session");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain(token.substring(7));
    }

    @Test
    @Order(2)
    void theListShowsANewBuildLiveAndItsPageShowsOutputsAndMarkupAsText() throws Exception {
        signIn();
        browser.get(server.url() + "/");
        js("window.strataNoReload = 'still here';");

        GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo-html"));
        repo.write("Dockerfile", "FROM " + parts.baseImage() + "\nLABEL name=ui/hello version=1\n"
                + "RUN echo \"" + HTML_LINE + "\" && echo done\n");
        String id = submit("ui-hello", repo.uri().toString(), repo.commit("html in the log"), Map.of("ui.note", HTML_LABEL));

        WebElement row = waitFor(d -> d.findElements(By.id("build-" + id)).stream().findFirst().orElse(null));
        assertThat(row.findElement(By.cssSelector(".build-link")).getText()).isEqualTo("ui-hello");
        waitFor(d -> "COMPLETE".equals(text(d, "#build-" + id + " .build-state")) ? true : null);
        WebElement done = browser.findElement(By.id("build-" + id));
        assertThat(done.getText()).contains("ui/hello-1-").contains("alice").contains("x86_64 COMPLETE");
        assertThat(js("return window.strataNoReload;")).as("the row came without a reload").isEqualTo("still here");

        done.findElement(By.cssSelector(".build-link")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("/builds/" + id) && loaded(d) ? true : null);
        assertThat(text(browser, ".output .pullspec")).startsWith(parts.registry().host() + "/").contains("@sha256:");
        assertThat(text(browser, ".output .tag")).contains(":");
        assertThat(text(browser, ".output .size")).matches("[0-9.]+ (B|KiB|MiB)");
        assertThat(browser.findElements(By.cssSelector(".waterfall .wf-row"))).isNotEmpty();
        // The SBOM and provenance attached to the image, by digest in its repository.
        assertThat(text(browser, ".attachments")).contains("SBOM (x86_64)").contains("Provenance (x86_64)")
                .contains(parts.registry().host() + "/ui/hello@sha256:");

        // The label and the log line are on the page as the characters they are, and nothing in them ran.
        assertThat(browser.findElement(By.id("request-labels")).getText()).contains(HTML_LABEL);
        WebElement log = browser.findElement(By.cssSelector(".log-pane .log"));
        waitFor(d -> log.getText().contains(HTML_LINE) ? true : null);
        assertThat(browser.findElements(By.id("injected"))).isEmpty();
        assertThat(browser.findElements(By.id("injected-label"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector(".log script, #request-labels img"))).isEmpty();
        assertThat(browser.getTitle()).isNotEqualTo("pwned").contains("ui-hello");

        chromium.resize(1280, 2000);
        chromium.screenshot(shots.resolve("build-page.png"));
        chromium.darkMode(true);
        chromium.screenshot(shots.resolve("build-page-dark.png"));
        assertThat(js("return getComputedStyle(document.body).backgroundColor;")).isEqualTo("rgb(15, 18, 22)");
        chromium.darkMode(false);
        chromium.resize(390, 844);
        browser.get(server.url() + "/");
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("no sideways scrolling at phone width").isEqualTo(true);
        chromium.screenshot(shots.resolve("builds-list-phone.png"));
        browser.get(server.url() + "/builds/" + id);
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("no sideways scrolling of a build page at phone width").isEqualTo(true);
        chromium.screenshot(shots.resolve("build-page-phone.png"));
        chromium.resize(1280, 900);
    }

    @Test
    @Order(3)
    void aRunningBuildsLogStreamsIntoThePageAndItsCancelButtonCancelsIt() throws Exception {
        signIn();
        GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo-ticks"));
        repo.write("Dockerfile", "FROM " + parts.baseImage() + "\nLABEL name=ui/ticks version=1\n"
                + "RUN i=0; while [ $i -lt 900 ]; do echo tick $i; i=$((i+1)); sleep 1; done\n");
        String id = submit("ui-ticks", repo.uri().toString(), repo.commit("a long log"), Map.of());
        browser.get(server.url() + "/builds/" + id);
        js("window.strataNoReload = 'still here';");

        // Lines arrive while the build runs: a later tick shows up in the same page.
        waitFor(d -> {
            assertThat(text(d, "#build-state")).as("the build ended before its log could stream").isIn("PENDING", "RUNNING");
            return lineCount("tick ") >= 3 ? true : null;
        });
        int seen = lineCount("tick ");
        waitFor(d -> lineCount("tick ") >= seen + 3 ? true : null);
        assertThat(js("return window.strataNoReload;")).isEqualTo("still here");
        assertThat(text(browser, "#build-state")).isEqualTo("RUNNING");
        waitFor(d -> text(d, ".waterfall").contains("buildah_build") ? true : null);
        assertThat(text(browser, ".waterfall")).as("the step it is in, before it has finished").contains("RUNNING");

        // Pause holds new lines back; resume adds them.
        WebElement pause = browser.findElement(By.cssSelector(".log-pause"));
        pause.click();
        int paused = lineCount("tick ");
        waitFor(d -> text(d, ".log-matches").contains("new lines held") ? true : null);
        assertThat(lineCount("tick ")).isEqualTo(paused);
        pause.click();
        assertThat(lineCount("tick ")).isGreaterThan(paused);

        // Search shows only matching lines.
        browser.findElement(By.cssSelector(".log-search")).sendKeys("tick 1");
        assertThat(text(browser, ".log-matches")).contains("matching line");
        List<WebElement> shown = browser.findElements(By.cssSelector(".log .ln:not(.hidden)"));
        assertThat(shown).isNotEmpty().allSatisfy(line -> assertThat(line.getText()).contains("tick 1"));
        chromium.screenshot(shots.resolve("build-running-log.png"));

        // In the list, a running build's duration counts on between its state changes.
        browser.get(server.url() + "/");
        String duration = text(browser, "#build-" + id + " .duration");
        waitFor(d -> text(d, "#build-" + id + " .duration").equals(duration) ? null : true);
        browser.get(server.url() + "/builds/" + id);

        browser.findElement(By.id("cancel")).click();
        waitFor(d -> "CANCELLED".equals(text(d, "#build-state")) ? true : null);
        assertThat(browser.findElements(By.id("cancel"))).isEmpty();
        JsonNode record = ApiJson.MAPPER.readTree(api("/api/v1/builds/" + id).body());
        assertThat(record.get("state").asText()).isEqualTo("CANCELLED");

        browser.get(server.url() + "/");
        assertThat(text(browser, "#build-" + id + " .build-state")).isEqualTo("CANCELLED");
        chromium.screenshot(shots.resolve("builds-list.png"));

        // The keyboard alone: "/" goes to the component filter, Enter filters, Tab reaches the build's link.
        new Actions(browser).sendKeys("/").perform();
        assertThat(browser.switchTo().activeElement().getAttribute("name")).isEqualTo("component");
        browser.switchTo().activeElement().sendKeys("ui-ticks" + Keys.ENTER);
        waitFor(d -> d.getCurrentUrl().contains("component=ui-ticks") ? true : null);
        assertThat(browser.findElements(By.cssSelector("table.builds tbody tr"))).singleElement()
                .satisfies(only -> assertThat(only.getAttribute("id")).isEqualTo("build-" + id));
        WebElement link = browser.findElement(By.cssSelector("#build-" + id + " .build-link"));
        for (int tab = 0; tab < 40 && !link.equals(browser.switchTo().activeElement()); tab++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement()).isEqualTo(link);
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitFor(d -> d.getCurrentUrl().endsWith("/builds/" + id) && loaded(d) ? true : null);
    }

    private static void signIn() {
        if (browser.manage().getCookieNamed("strata_session") != null) {
            return;
        }
        browser.get(server.url() + "/login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        waitFor(d -> d.getCurrentUrl().contains("/login") || !loaded(d) ? null : true);
    }

    private static String submit(String component, String gitUri, String commit, Map<String, String> labels) throws Exception {
        String body = ApiJson.MAPPER.writeValueAsString(Map.of("component", component, "git_uri", gitUri, "git_ref", commit,
                "labels", labels));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/builds"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return ApiJson.MAPPER.readTree(created.body()).get("id").asText();
    }

    private static HttpResponse<String> api(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int lineCount(String containing) {
        Object count = ((JavascriptExecutor) browser).executeScript("var text = arguments[0];"
                + " return Array.from(document.querySelectorAll('.log .ln .tx'))"
                + ".filter(function (l) { return l.textContent.indexOf(text) >= 0; }).length;", containing);
        return ((Number) count).intValue();
    }

    /** The text of the first element matching {@code css}, read in one step (the live parts replace elements). */
    private static String text(WebDriver driver, String css) {
        Object text = ((JavascriptExecutor) driver).executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
        return text == null ? "" : text.toString();
    }

    /**
     * The page the browser went to is whole: a click that navigates answers before the next page
     * has loaded, and its URL changes before its content is there.
     */
    private static boolean loaded(WebDriver driver) {
        return "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState;"));
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static <T> T waitFor(ExpectedCondition<T> condition) {
        try {
            return new WebDriverWait(browser, PATIENCE, Duration.ofMillis(200)).until(condition);
        } catch (RuntimeException e) {
            chromium.screenshot(shots.resolve("failed-wait.png"));
            throw new AssertionError("the page never got there: " + browser.getCurrentUrl() + "\n" + chromium.consoleLog()
                    + "\nbuilds: " + apiText("/api/v1/builds") + "\npage: " + text(browser, "main")
                    + "\nserver log: " + serverLog(), e);
        }
    }

    private static String apiText(String path) {
        try {
            return api(path).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String serverLog() {
        try {
            String log = server.logText();
            return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
