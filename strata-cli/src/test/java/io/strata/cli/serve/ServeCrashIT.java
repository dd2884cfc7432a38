package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.config.StrataSettings;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import io.strata.local.store.BuildStores;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the real {@code strata serve} process (the packaged CLI's JVM, dry-run engine) with 20
 * builds submitted over the REST API, some RUNNING, others PENDING and some COMPLETE at the kill; a second
 * {@code strata serve} on the same home and a new port takes over. Every build must end COMPLETE
 * as the API reports it, none lost or duplicated, and the store's transitions must show that none
 * ran twice at once: a build running at the kill went back to PENDING and ran once more (its log
 * shows the two attempts one after the other), every other build ran exactly once.
 */
class ServeCrashIT {
    static final int BUILDS = 20;
    static final int CONCURRENCY = 4;
    /** Not a timing assertion: only a hang's bound (the whole run takes seconds). */
    static final Duration HANG = Duration.ofMinutes(10);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(\\d{8}-\\d{6}-[0-9a-f]{6})\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void killedMidQueueEveryBuildEndsOnceAndNoneIsLostDuplicatedOrRunTwice() throws Exception {
        Path home = dir.resolve("server/strata");
        ChildEnvironment slow = ServeIT.serverEnvironment(dir.resolve("server"), "3s")
                .with("STRATA_CONCURRENCY", Integer.toString(CONCURRENCY));
        TestCli.Run created = PackagedCli.run(slow, "tokens", "create", "--user", "alice");
        assertThat(created.exit()).as(created.err()).isZero();
        String token = created.out().strip();

        List<BuildId> submitted = new ArrayList<>();
        Map<BuildId, BuildState> atKill;
        long started = System.nanoTime();
        ServeIT.Served first = ServeIT.serve(dir, slow);
        try {
            for (int i = 0; i < BUILDS; i++) {
                submitted.add(submit(first.url(), token, i));
            }
            try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty())) {
                // Killed while some builds run, others wait and some are done: every kind at once, seen in the store.
                while (count(store, BuildState.RUNNING) == 0 || count(store, BuildState.PENDING) == 0
                        || count(store, BuildState.COMPLETE) == 0) {
                    assertThat(first.process().isAlive()).as(first.logText()).isTrue();
                    assertThat(System.nanoTime() - started).as("a hang's bound: never RUNNING, PENDING and COMPLETE at once "
                            + states(store)).isLessThan(HANG.toNanos());
                    Thread.sleep(100);
                }
                first.process().destroyForcibly(); // SIGKILL to the serve JVM itself (java -jar, no wrapper)
                first.process().waitFor();
                atKill = states(store);
            }
        } finally {
            first.process().destroyForcibly();
        }
        assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(first.logText()).doesNotContain("strata serve: stopping");
        assertThat(atKill.keySet()).containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(atKill.values()).contains(BuildState.RUNNING, BuildState.PENDING, BuildState.COMPLETE);
        System.out.println("ServeCrashIT: at the kill " + atKill.values().stream()
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting())));

        ChildEnvironment fast = ServeIT.serverEnvironment(dir.resolve("server"), "300ms")
                .with("STRATA_CONCURRENCY", Integer.toString(CONCURRENCY));
        long restarted = System.nanoTime();
        try (ServeIT.Served second = ServeIT.serve(dir, fast)) {
            assertThat(second.url()).isNotEqualTo(first.url());
            // Through the new server's API: every build reaches COMPLETE (polled).
            for (BuildId id : submitted) {
                String state = apiState(second.url(), token, id);
                while (!isTerminal(state)) {
                    assertThat(second.process().isAlive()).as(second.logText()).isTrue();
                    assertThat(System.nanoTime() - restarted).as("bounded only so that a build never resumed fails the test"
                            + " instead of hanging the run: " + id + " still " + state).isLessThan(HANG.toNanos());
                    Thread.sleep(200);
                    state = apiState(second.url(), token, id);
                }
                assertThat(state).as(id.value()).isEqualTo("COMPLETE");
            }
            String list = get(second.url() + "/api/v1/builds?limit=1000", token).body();
            List<String> listed = ID.matcher(list).results().map(m -> m.group(1)).toList();
            assertThat(listed).as("none lost, none duplicated in the API's list")
                    .containsExactlyInAnyOrderElementsOf(submitted.stream().map(BuildId::value).toList());
            System.out.printf("ServeCrashIT: all %d terminal %.1f s after the restart%n", BUILDS,
                    (System.nanoTime() - restarted) / 1e9);
            assertThat(second.logText()).doesNotContain(token);
        }
        assertThat(first.logText()).doesNotContain(token);

        try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty())) {
            List<BuildSummary> all = store.list(BuildQuery.all(1000));
            assertThat(all).extracting(BuildSummary::id).as("none lost, none duplicated")
                    .containsExactlyInAnyOrderElementsOf(submitted);
            assertThat(all).allSatisfy(b -> assertThat(b.state()).as(b.id().value()).isEqualTo(BuildState.COMPLETE));
            assertThat(store.queue()).isEmpty();
            assertThat(store.leases()).isEmpty();
            for (BuildId id : submitted) {
                BuildRecord record = store.find(id).orElseThrow();
                List<BuildState> states = record.transitions().stream().map(StateTransition::state).toList();
                if (atKill.get(id) == BuildState.RUNNING) {
                    assertThat(states).as("resumed " + id).containsExactly(BuildState.NEW, BuildState.PENDING,
                            BuildState.RUNNING, BuildState.PENDING, BuildState.RUNNING, BuildState.COMPLETE);
                    assertThat(store.logs(id, 0, 1000)).extracting(LogLine::text)
                            .anyMatch(line -> line.contains("the build waits in the queue for attempt 2 of 3"));
                } else if (atKill.get(id) == BuildState.COMPLETE) {
                    assertThat(states).as("done before the kill " + id).containsExactly(BuildState.NEW,
                            BuildState.PENDING, BuildState.RUNNING, BuildState.COMPLETE);
                } else {
                    assertThat(atKill.get(id)).as(id.value()).isEqualTo(BuildState.PENDING);
                    assertThat(states).as("ran once " + id).containsExactly(BuildState.NEW, BuildState.PENDING,
                            BuildState.RUNNING, BuildState.COMPLETE);
                }
                assertStepsOfOneAttemptAtATime(store.logs(id, 0, 1000), id);
            }
        }
    }

    /**
     * Two real buildah builds (one at a time) through {@code strata serve}: the serve JVM is killed in
     * the middle of the first build's RUN step; the second {@code strata serve} resumes it, keeps
     * the release it reserved and builds the other, both pushed.
     */
    @Test
    void realBuildahBuildsKilledMidBuildResumeKeepTheirReleasesAndComplete() throws Exception {
        Path home = Files.createDirectories(dir.resolve("real"));
        Path strata = home.resolve("strata");
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth(); BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"))) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            repo.write("Dockerfile", "FROM " + registry.reference("base/busybox:1")
                    + "\nLABEL name=\"served/crash\" version=\"1.0\"\nRUN sleep 3 && echo built > /built.txt\n");
            String commit = repo.commit("a build that takes a while");
            Path config = Files.writeString(home.resolve("osbs.conf"), "[default]\nregistry_uri = http://" + registry.host()
                    + "/v2\nstrata_home = " + strata + "\nstrata_buildah_root = " + home.resolve("buildah")
                    + "\nstrata_concurrency = 1\n");
            ChildEnvironment serverSide = ChildEnvironment.of(home);
            TestCli.Run created = PackagedCli.run(serverSide, "tokens", "create", "--user", "alice", "--config", config.toString());
            assertThat(created.exit()).as(created.err()).isZero();
            String token = created.out().strip();

            List<BuildId> submitted = new ArrayList<>();
            Map<BuildId, BuildState> atKill;
            long started = System.nanoTime();
            ServeIT.Served first = ServeIT.serve(dir, serverSide, "--config", config.toString());
            try {
                for (int i = 0; i < 2; i++) {
                    submitted.add(submit(first.url(), token, "served-crash", repo.uri().toString(), commit));
                }
                try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(strata), Optional.empty(),
                        Optional.empty())) {
                    // Killed in the middle of buildah's RUN step: its release is reserved, its image not pushed.
                    while (!inRunStep(store, submitted)) {
                        assertThat(first.process().isAlive()).as(first.logText()).isTrue();
                        assertThat(System.nanoTime() - started).as("a hang's bound: never in the RUN step")
                                .isLessThan(HANG.toNanos());
                        Thread.sleep(100);
                    }
                    first.process().destroyForcibly();
                    first.process().waitFor();
                    atKill = states(store);
                }
            } finally {
                first.process().destroyForcibly();
            }
            assertThat(atKill.values()).containsExactlyInAnyOrder(BuildState.RUNNING, BuildState.PENDING);

            long restarted = System.nanoTime();
            try (ServeIT.Served second = ServeIT.serve(dir, serverSide, "--config", config.toString())) {
                for (BuildId id : submitted) {
                    String state = apiState(second.url(), token, id);
                    while (!isTerminal(state)) {
                        assertThat(second.process().isAlive()).as(second.logText()).isTrue();
                        assertThat(System.nanoTime() - restarted).as("a hang's bound: " + id + " still " + state)
                                .isLessThan(HANG.toNanos());
                        Thread.sleep(200);
                        state = apiState(second.url(), token, id);
                    }
                    assertThat(state).as(id + "; server log:\n" + second.logText()).isEqualTo("COMPLETE");
                }
                assertThat(second.logText()).doesNotContain(token);
            }

            try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(strata), Optional.empty(), Optional.empty())) {
                List<String> tags = new ArrayList<>();
                for (BuildId id : submitted) {
                    BuildRecord record = store.find(id).orElseThrow();
                    long runs = record.transitions().stream().filter(t -> t.state() == BuildState.RUNNING).count();
                    assertThat(runs).as("runs of " + id).isEqualTo(atKill.get(id) == BuildState.RUNNING ? 2 : 1);
                    record.outputs().forEach(o -> tags.addAll(o.tags()));
                }
                // The resumed build kept the release it reserved before the kill: none burnt, none shared.
                assertThat(tags).filteredOn(t -> t.startsWith("1.0-")).containsExactlyInAnyOrder("1.0-1", "1.0-2");
                assertThat(store.leases()).isEmpty();
            }
            assertThat(strata.resolve("workspaces")).isEmptyDirectory();
        }
    }

    private static boolean inRunStep(BuildStore store, List<BuildId> ids) throws Exception {
        for (BuildId id : ids) {
            if (store.logs(id, 0, 10_000).stream().anyMatch(l -> l.text().contains("RUN sleep 3"))) {
                return true;
            }
        }
        return false;
    }

    private BuildId submit(String url, String token, int n) throws Exception {
        return submit(url, token, "crash-" + n, "https://git.example.com/crash.git", "main");
    }

    private BuildId submit(String url, String token, String component, String gitUri, String gitRef) throws Exception {
        String body = "{\"component\": \"" + component + "\", \"git_uri\": \"" + gitUri + "\", \"git_ref\": \""
                + gitRef + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/builds"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher m = ID.matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return new BuildId(m.group(1));
    }

    private String apiState(String url, String token, BuildId id) throws Exception {
        HttpResponse<String> response = get(url + "/api/v1/builds/" + id.value(), token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher m = STATE.matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean isTerminal(String state) {
        return state.equals("COMPLETE") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    private static long count(BuildStore store, BuildState state) throws Exception {
        return states(store).values().stream().filter(s -> s == state).count();
    }

    private static Map<BuildId, BuildState> states(BuildStore store) throws Exception {
        return store.list(BuildQuery.all(1000)).stream().collect(Collectors.toMap(BuildSummary::id, BuildSummary::state));
    }

    /**
     * The dry-run worker logs one line per step with its attempt: lines of two attempts never
     * interleave (a build run twice at once would mix them).
     */
    private static void assertStepsOfOneAttemptAtATime(List<LogLine> log, BuildId id) {
        List<String> blocks = new ArrayList<>();
        log.stream().map(LogLine::text).filter(t -> t.startsWith("dry run: ") && t.contains("(attempt "))
                .map(t -> t.substring(t.indexOf("(attempt "))).forEach(attempt -> {
                    if (blocks.isEmpty() || !blocks.getLast().equals(attempt)) {
                        blocks.add(attempt);
                    }
                });
        assertThat(blocks).as("attempts in the log of " + id).isNotEmpty().doesNotHaveDuplicates();
    }
}
