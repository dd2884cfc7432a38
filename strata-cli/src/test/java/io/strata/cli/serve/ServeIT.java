package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.testkit.ChildEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code strata serve} process (the packaged CLI, dry-run engine, its own store) and the
 * real CLI against it from another home: tokens made while the server runs, every build verb
 * through the server with the same output, --json and exit codes as locally, and no token in
 * the server's log or in any message.
 */
class ServeIT {
    private static final Pattern LISTENING = Pattern.compile("strata serve: listening on (http://\\S+)");
    private static final String[] REQUEST = {"--component", "hello", "--git-uri", "https://git.example.com/hello.git",
            "--git-ref", "main"};

    @TempDir
    static Path dir;

    static Served server;
    static String url;
    static String token;
    static ChildEnvironment serverSide;
    static ChildEnvironment client;

    /**
     * A running {@code strata serve} process, its URL and the file its stderr goes to. (A file, not a
     * pipe: the JDK drains a pipe of an exited process on its own thread, and a reader racing it can
     * miss the last lines.)
     */
    record Served(Process process, String url, Path log) implements AutoCloseable {
        /** SIGTERM, then the exit code once the process has ended. */
        int stop() throws InterruptedException {
            process.destroy();
            return process.waitFor();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        String logText() throws IOException {
            return Files.readString(log);
        }
    }

    /** Starts the packaged {@code strata serve --listen 127.0.0.1:0} and waits for its "listening on" line. */
    static Served serve(Path logDir, ChildEnvironment environment, String... extra) throws IOException {
        String[] args = concat(new String[] {"serve", "--listen", "127.0.0.1:0"}, extra);
        Path log = Files.createTempFile(logDir, "serve-", ".log");
        Process process = PackagedCli.builder(environment, args).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("first line of strata serve; log: %s", Files.readString(log)).isNotNull();
        Matcher m = LISTENING.matcher(first);
        assertThat(m.find()).as(first).isTrue();
        return new Served(process, m.group(1), log);
    }

    static ChildEnvironment serverEnvironment(Path home, String dryRunDelay) throws IOException {
        return ChildEnvironment.of(Files.createDirectories(home))
                .with("STRATA_HOME", home.resolve("strata").toString())
                .with("STRATA_ENGINE", "dry-run")
                .with("STRATA_DRY_RUN_DELAY", dryRunDelay);
    }

    @BeforeAll
    static void startServer() throws Exception {
        serverSide = serverEnvironment(dir.resolve("server"), "1500ms");
        server = serve(dir, serverSide);
        url = server.url();

        TestCli.Run created = PackagedCli.run(serverSide, "tokens", "create", "--user", "alice");
        assertThat(created.exit()).as(created.err()).isZero();
        token = created.out().strip();
        assertThat(created.out()).isEqualTo(token + "\n");
        assertThat(token).startsWith("strata_").hasSize(50);

        client = ChildEnvironment.of(Files.createDirectories(dir.resolve("client")))
                .with("STRATA_HOME", dir.resolve("client/strata").toString())
                .with("STRATA_SERVER", url)
                .with("STRATA_SERVER_TOKEN", token);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            assertThat(server.stop()).as("exit of strata serve on SIGTERM").isZero();
            assertThat(server.logText()).contains("strata serve: stopping").doesNotContain(token == null ? "\u0000" : token)
                    .contains("POST /api/v1/builds 201");
        }
    }

    @Test
    void aBuildSubmittedWithNoWaitIsWatchedListedAndReadThroughTheServer() throws Exception {
        TestCli.Run submitted = strata(client, concat(new String[] {"build", "--no-wait"}, REQUEST));
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        String id = submitted.out().strip();
        assertThat(id).matches("\\d{8}-\\d{6}-[0-9a-f]{6}");

        TestCli.Run watched = strata(client, "watch-build", id);
        assertThat(watched.exit()).as(watched.err()).isZero();
        assertThat(watched.err()).contains("build " + id + ": COMPLETE");

        TestCli.Run json = strata(client, "get-build", id, "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/builds/" + id))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.out().strip()).isEqualTo(direct.body().strip());

        TestCli.Run listed = strata(client, "list-builds");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(id).contains("COMPLETE");

        TestCli.Run logs = strata(client, "build-logs", id);
        assertThat(logs.exit()).as(logs.err()).isZero();
        assertThat(logs.out()).isNotBlank();

        // The client's own store was never used: its home has no store.
        assertThat(dir.resolve("client/strata/store")).doesNotExist();
    }

    @Test
    void aBuildThatWaitsEndsWithTheBuildsExitCodeAndItsCustomizeDocumentTravels() throws Exception {
        Path customize = Files.writeString(dir.resolve("customize.json"), "{\"disable_plugins\": [{\"plugin_type\":"
                + " \"postbuild_plugins\", \"plugin_name\": \"gather_image_content\"}]}");
        TestCli.Run built = strata(client, concat(new String[] {"build", "--json", "--customize", customize.toString()}, REQUEST));
        assertThat(built.exit()).as(built.err()).isZero();
        assertThat(built.err()).contains(": RUNNING").contains(": COMPLETE");
        assertThat(built.out()).contains("\"state\" : \"COMPLETE\"").contains("tag_and_push")
                .doesNotContain("gather_image_content");
    }

    /** The same verb prints the same text against the server as on the server's machine without one. */
    @Test
    void theVerbsPrintTheSameThroughTheServerAsOnTheStoreItself() throws Exception {
        String id = strata(client, concat(new String[] {"build", "--no-wait"}, REQUEST)).out().strip();
        TestCli.Run followed = strata(client, "build-logs", id, "--follow");
        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.out()).isNotBlank();

        for (String[] verb : new String[][] {{"get-build", id, "--json"}, {"get-build", id}, {"build-logs", id},
                {"build-logs", id, "--json"}, {"watch-build", id, "--json"}}) {
            TestCli.Run remote = strata(client, verb);
            TestCli.Run local = strata(serverSide, verb);
            assertThat(remote.exit()).as(String.join(" ", verb) + ": " + remote.err()).isEqualTo(local.exit()).isZero();
            assertThat(remote.out()).as(String.join(" ", verb)).isEqualTo(local.out());
        }
        assertThat(strata(client, "build-logs", id).out()).isEqualTo(followed.out());
    }

    /** On a server of its own whose dry-run builds last ten minutes: the cancel always lands before the build could end. */
    @Test
    void aCancelledBuildExits4AndASecondCancelIsRefused() throws Exception {
        ChildEnvironment slowSide = serverEnvironment(dir.resolve("slow-server"), "10m");
        try (Served slow = serve(dir, slowSide)) {
            String slowToken = PackagedCli.run(slowSide, "tokens", "create", "--user", "alice").out().strip();
            ChildEnvironment slowClient = client.with("STRATA_SERVER", slow.url()).with("STRATA_SERVER_TOKEN", slowToken);
            // The build waited for, as `strata build` does without --no-wait: it ends as the build ended.
            Path waitingErr = dir.resolve("waiting-build.err");
            Process waiting = PackagedCli.builder(slowClient, concat(new String[] {"build"}, REQUEST))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(dir.resolve("waiting-build.out").toFile()).redirectError(waitingErr.toFile()).start();
            String id;
            try {
                id = awaitSubmittedId(waiting, waitingErr);
            } catch (AssertionError | RuntimeException e) {
                waiting.destroyForcibly(); // stop only what this test started
                throw e;
            }
            TestCli.Run cancelled = strata(slowClient, "cancel-build", id);
            assertThat(cancelled.exit()).as(cancelled.err()).isZero();
            assertThat(cancelled.out().strip()).isEqualTo(id);
            assertThat(waiting.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the waiting build ended").isTrue();
            String waitedErr = Files.readString(waitingErr);
            assertThat(waiting.exitValue()).as(waitedErr).isEqualTo(4);
            // Its ending: "strata: build ID CANCELLED[: message [REASON]]" and where to see the log, as watch-build's below.
            assertThat(waitedErr).contains("build " + id + ": CANCELLED\n").contains("strata: build " + id + " CANCELLED")
                    .doesNotContain("\tat ");
            String ending = waitedErr.substring(waitedErr.lastIndexOf("strata: build " + id + " CANCELLED"));
            assertThat(ending).endsWith("\n  see: strata build-logs " + id + "\n");
            assertThat(Files.readString(dir.resolve("waiting-build.out"))).as("no image to print").isEmpty();
            TestCli.Run watched = strata(slowClient, "watch-build", id);
            assertThat(watched.exit()).as(watched.err()).isEqualTo(4);
            assertThat(watched.err()).as("watch-build, which reads the whole record, ends the same").endsWith(ending);
            TestCli.Run again = strata(slowClient, "cancel-build", id);
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("[BUILD_NOT_RUNNING]").contains("fix:");
            TestCli.Run image = strata(slowClient, "get-build-image-id", id);
            assertThat(image.exit()).isEqualTo(1);
            assertThat(image.err()).contains("[BUILD_HAS_NO_IMAGE]");
            assertThat(slow.logText()).doesNotContain(slowToken);
        }
    }

    /** The id a waiting `strata build` prints when the service took its build ("build ID submitted to URL"). */
    private static String awaitSubmittedId(Process build, Path err) throws Exception {
        Pattern submitted = Pattern.compile("build (\\S+) submitted to ");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = submitted.matcher(Files.readString(err));
            if (m.find()) {
                return m.group(1);
            }
            assertThat(build.isAlive()).as("strata build ended before it said it submitted: %s", Files.readString(err)).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("strata build did not say it submitted in 60 s: " + Files.readString(err));
    }

    @Test
    void aTakenPortIsOneMessageWithAFix() throws Exception {
        String port = url.substring(url.lastIndexOf(':') + 1);
        TestCli.Run second = strata(serverEnvironment(dir.resolve("second"), "1s"), "serve", "--listen", "127.0.0.1:" + port);
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err()).contains("[LISTEN_FAILED]").contains("fix:").doesNotContain("\tat ");
        assertThat(second.out()).isEmpty();
    }

    @Test
    void badTokensAndServersAreOneMessageWithAFix() throws Exception {
        TestCli.Run wrong = strata(client.with("STRATA_SERVER_TOKEN", "strata_" + "x".repeat(43)), "list-builds");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("[TOKEN_INVALID]").contains("fix:").doesNotContain("xxxxxxxxxx").doesNotContain("\tat ");

        TestCli.Run none = strata(ChildEnvironment.of(dir.resolve("client")).with("STRATA_SERVER", url), "list-builds");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("[SERVER_TOKEN_MISSING]");

        TestCli.Run unknownId = strata(client, "get-build", "20261122-004512-3f9a1c");
        assertThat(unknownId.exit()).isEqualTo(1);
        assertThat(unknownId.err()).contains("[BUILD_NOT_FOUND]");

        TestCli.Run badId = strata(client, "get-build", "nope");
        assertThat(badId.exit()).isEqualTo(1);
        assertThat(badId.err()).contains("[BUILD_ID_INVALID]");

        TestCli.Run nobody = strata(client.with("STRATA_SERVER", "http://127.0.0.1:1"), "list-builds");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).contains("[SERVER_UNREACHABLE]");
    }

    @Test
    void theTokenComesFromA0600FileNamedInTheConfiguration() throws Exception {
        Path file = dir.resolve("client/token");
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path conf = Files.writeString(dir.resolve("client/osbs.conf"),
                "[default]\nstrata_server_url = " + url + "\nstrata_server_token_file = " + file + "\n");
        ChildEnvironment fromFile = ChildEnvironment.of(dir.resolve("client"))
                .with("STRATA_HOME", dir.resolve("client/strata").toString());
        TestCli.Run open = strata(fromFile, "list-builds", "--config", conf.toString());
        assertThat(open.exit()).isEqualTo(1);
        assertThat(open.err()).contains("[SERVER_TOKEN_FILE_INVALID]").contains("chmod 600");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        TestCli.Run listed = strata(fromFile, "list-builds", "--config", conf.toString());
        assertThat(listed.exit()).as(listed.err()).isZero();
    }

    @Test
    void tokensAreListedAndRevokedWhileTheServerRuns() throws Exception {
        TestCli.Run created = PackagedCli.run(serverSide, "tokens", "create", "--user", "bob", "--expires-in", "1d");
        String bob = created.out().strip();
        assertThat(strata(client.with("STRATA_SERVER_TOKEN", bob), "list-builds").exit()).isZero();
        TestCli.Run list = PackagedCli.run(serverSide, "tokens", "list");
        assertThat(list.out()).contains("bob").contains("alice").doesNotContain(bob).doesNotContain(token);
        String id = list.out().lines().filter(l -> l.contains(" bob ")).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(PackagedCli.run(serverSide, "tokens", "revoke", id).exit()).isZero();
        TestCli.Run refused = strata(client.with("STRATA_SERVER_TOKEN", bob), "list-builds");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("[TOKEN_INVALID]");
    }

    /**
     * prune-builds --server prunes the server's store (the client's home has none) and prints the
     * report as a local prune does; only an admin may; a bad duration is the same usage error as
     * locally and never reaches the server.
     */
    @Test
    void pruneOverTheServerIsForAdminsAndPrintsTheReportAsLocally() throws Exception {
        String id = strata(client, concat(new String[] {"build", "--no-wait"}, REQUEST)).out().strip();
        assertThat(strata(client, "watch-build", id).exit()).isZero();
        TestCli.Run created = PackagedCli.run(serverSide, "tokens", "create", "--user", "operator", "--admin");
        assertThat(created.exit()).as(created.err()).isZero();
        ChildEnvironment admin = client.with("STRATA_SERVER_TOKEN", created.out().strip());

        TestCli.Run refused = strata(client, "prune-builds", "--keep-younger-than", "0s");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("only an admin may prune builds", "[ADMIN_REQUIRED]", "fix:").doesNotContain("\tat ");
        assertThat(strata(client, "get-build", id).exit()).as("nothing pruned").isZero();

        TestCli.Run kept = strata(admin, "prune-builds", "--keep-younger-than", "720h");
        assertThat(kept.exit()).as(kept.err()).isZero();
        assertThat(kept.out()).startsWith("pruned builds finished before ").contains(": 0 records").contains("0 B freed");

        TestCli.Run pruned = strata(admin, "prune-builds", "--keep-younger-than", "0s");
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        assertThat(pruned.out()).containsPattern("pruned builds finished before \\S+: [1-9]\\d* records \\(\\d+ log lines, ")
                .contains("freed");
        TestCli.Run gone = strata(client, "get-build", id);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("[BUILD_NOT_FOUND]");

        TestCli.Run json = strata(admin, "prune-builds", "--keep-younger-than", "0s", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"builds\" : 0", "\"finished_before\"");

        TestCli.Run bad = strata(admin, "prune-builds", "--keep-younger-than", "a month");
        TestCli.Run badLocally = strata(serverSide, "prune-builds", "--keep-younger-than", "a month");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--keep-younger-than 'a month' is not a duration", "720h", "[INVALID_USAGE]")
                .doesNotContain("\tat ").isEqualTo(badLocally.err());
        assertThat(dir.resolve("client/strata/store")).doesNotExist();
    }

    private static TestCli.Run strata(ChildEnvironment environment, String... args) throws Exception {
        return PackagedCli.run(environment, args);
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
