package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildParts;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds owned by real `strata build` processes: killed with SIGKILL in the middle of a RUN step
 * (ended by the next command, or by a `build-logs --follow` or `watch-build` of it), cancelled by `strata cancel-build` from another process, failing in a RUN step, and eight at
 * once on one home. After each, no buildah process, working container or workspace is left.
 */
class LeasedBuildsIT {
    private static final Pattern BUILD_ID = Pattern.compile("build (\\d{8}-\\d{6}-[0-9a-f]{6}): RUNNING");
    private static final ObjectMapper JSON = new ObjectMapper();

    static RegistryFixture registry;
    static BuildParts parts;
    static BuildahFixture fixture;
    static String baseImage;

    @TempDir
    Path home;
    Path config;
    GitRepoFixture repo;

    @BeforeAll
    static void startRealParts() {
        parts = BuildParts.start();
        registry = parts.registry();
        fixture = parts.buildah();
        baseImage = parts.baseImage();
    }

    @AfterAll
    static void stopRealParts() {
        if (parts != null) {
            parts.close();
        }
    }

    @BeforeEach
    void writeConfig() throws IOException {
        config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nregistry_uri = http://" + registry.host() + "/v2\nstrata_home = "
                + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n");
        repo = GitRepoFixture.create(home.resolve("repo"));
        // The registry outlives each test, the store does not: a name label of its own per test keeps
        // one test's {version}-{release} tags from meeting another's (PRIMARY_TAG_TAKEN, correctly).
        nameLabel = "leased/build-" + Long.toHexString(System.nanoTime());
    }

    private String nameLabel;

    private String commitDockerfile(String run) {
        repo.write("Dockerfile", "FROM " + baseImage + "\nLABEL name=" + nameLabel + " version=1\nRUN " + run + "\n");
        return repo.commit(run);
    }

    private StrataProcess build(String component, String commit) throws IOException {
        return StrataProcess.start("build", "--config", config.toString(), "--component", component, "--git-uri",
                repo.uri().toString(), "--git-ref", commit, "--follow");
    }

    /** Waits until the build runs its RUN step and the marker sleep exists; returns the build id. */
    private static String awaitSleeping(StrataProcess strata, String marker) throws InterruptedException {
        String running = strata.awaitErr(line -> BUILD_ID.matcher(line).find())
                .orElseThrow(() -> new AssertionError("no build started:\n" + strata.stderr()));
        strata.awaitErr(line -> line.contains("RUN " + marker))
                .orElseThrow(() -> new AssertionError("the RUN step never started:\n" + strata.stderr()));
        while (processesWith(marker).isEmpty() && strata.process().isAlive()) {
            Thread.sleep(50);
        }
        Matcher id = BUILD_ID.matcher(running);
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    /**
     * The pids of the processes whose command line holds {@code text}, read from /proc: a RUN step's processes too,
     * whose command line {@code ProcessHandle.info()} cannot give (it runs in buildah's chroot).
     */
    private static List<Long> processesWith(String text) {
        return io.strata.testkit.ProcessTable.commandLinesContaining(text);
    }

    record Run(int exit, String out, String err) {}

    private Run strata(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = CliRunner.run(TestCli.in(home).environment(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private JsonNode record(String id) throws IOException {
        Run get = strata("get-build", "--config", config.toString(), id, "--json");
        assertThat(get.exit()).as(get.err()).isZero();
        return JSON.readTree(get.out());
    }

    private List<String> buildahContainers() throws IOException, InterruptedException {
        Process list = new ProcessBuilder("buildah", "--root", home.resolve("buildah/root").toString(), "--runroot",
                home.resolve("buildah/runroot").toString(), "--storage-driver", "vfs", "containers", "--quiet")
                .redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes());
        assertThat(list.waitFor()).as(out).isZero();
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    /**
     * A build killed with SIGKILL while its RUN step sleeps, and a command of another process that was
     * following it before the kill.
     */
    private record KilledBuild(String id, long pid, StrataProcess follower) implements AutoCloseable {
        @Override
        public void close() {
            follower.close();
        }
    }

    /** The commands that follow a build from another process until it ends. */
    private enum Follower {
        /** {@code build-logs --follow}: its log on stdout. */
        LOGS,
        /** {@code watch-build}: its states and steps on stderr. */
        WATCH
    }

    private StrataProcess startFollower(Follower kind, String id) throws IOException {
        return switch (kind) {
            case LOGS -> StrataProcess.start("build-logs", "--config", config.toString(), id, "--follow");
            case WATCH -> StrataProcess.start("watch-build", "--config", config.toString(), id);
        };
    }

    /** Waits until the follower printed what it follows: its store is open then, and its own reconcile done. */
    private static void awaitFollowing(Follower kind, StrataProcess follower) throws InterruptedException {
        Optional<String> following = switch (kind) {
            case LOGS -> follower.awaitOut(line -> true);
            case WATCH -> follower.awaitErr(line -> line.endsWith(": RUNNING"));
        };
        following.orElseThrow(() -> new AssertionError("the follower shows nothing of the build:\n" + follower.stderr()));
    }

    /**
     * Kills the build's process once the follower shows the build. Not before: a follower still opening
     * its store reconciles orphaned builds there, so a kill before that let the follower end the build at its
     * open rather than while following, and, when its open came after the kill, end it before the test had
     * looked at what the kill left (CI once failed so).
     *
     * @param pauseFollower stops the follower (SIGSTOP) before the kill, so that no process but the test's
     *     next command can end the build; the caller sends it CONT
     */
    private KilledBuild killWhileSleeping(String component, String marker, Follower kind, boolean pauseFollower)
            throws Exception {
        String commit = commitDockerfile(marker);
        try (StrataProcess strata = build(component, commit)) {
            String id = awaitSleeping(strata, marker);
            StrataProcess follower = startFollower(kind, id);
            awaitFollowing(kind, follower);
            if (pauseFollower) {
                follower.signal("STOP");
            }
            strata.signal("KILL");
            strata.awaitExit();
            return new KilledBuild(id, strata.pid(), follower);
        }
    }

    @Test
    void aBuildWhoseProcessIsKilledIsEndedByTheNextCommandWithNothingLeftBehind() throws Exception {
        String marker = "sleep 4175";
        try (KilledBuild killed = killWhileSleeping("killed", marker, Follower.LOGS, true)) {
            // buildah outlived the JVM: that is what the lease is there for.
            assertThat(processesWith(marker)).isNotEmpty();

            Run list = strata("list-builds", "--config", config.toString());

            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(processesWith(marker)).isEmpty();
            assertThat(processesWith(home.resolve("buildah").toString())).isEmpty();
            assertThat(buildahContainers()).isEmpty();
            assertThat(home.resolve("strata/workspaces/" + killed.id())).doesNotExist();
            JsonNode record = record(killed.id());
            assertThat(record.path("state").asText()).isEqualTo("FAILED");
            assertThat(record.path("failure").path("reason").asText()).isEqualTo("INTERRUPTED");
            assertThat(record.path("failure").path("message").asText())
                    .contains("pid " + killed.pid()).contains("killed or crashed").contains("workspace was removed");
            assertThat(record.path("failure").path("hint").asText()).contains("build it again");
            // The follower, let go on, sees the end as any other and stops.
            killed.follower().signal("CONT");
            assertThat(killed.follower().awaitExit()).as(killed.follower().stderr()).isZero();
        }
    }

    @Test
    void aFollowerOfAKilledBuildEndsItselfWhenNoOtherCommandRuns() throws Exception {
        String marker = "sleep 4176";
        try (KilledBuild killed = killWhileSleeping("followed", marker, Follower.LOGS, false)) {
            assertThat(killed.follower().awaitExit()).as(killed.follower().stderr()).isZero();

            assertThat(killed.follower().stderr()).contains("FAILED [INTERRUPTED]");
            assertThat(processesWith(marker)).isEmpty();
            assertThat(buildahContainers()).isEmpty();
            assertThat(record(killed.id()).path("failure").path("reason").asText()).isEqualTo("INTERRUPTED");
        }
    }

    @Test
    void aWatchOfAKilledBuildEndsItWhenNoOtherCommandRuns() throws Exception {
        String marker = "sleep 4178";
        try (KilledBuild killed = killWhileSleeping("watched", marker, Follower.WATCH, false)) {
            assertThat(killed.follower().awaitExit()).as(killed.follower().stderr()).isEqualTo(1);

            assertThat(killed.follower().stderr()).contains("build " + killed.id() + ": FAILED", "INTERRUPTED");
            assertThat(processesWith(marker)).isEmpty();
            assertThat(buildahContainers()).isEmpty();
            assertThat(record(killed.id()).path("failure").path("reason").asText()).isEqualTo("INTERRUPTED");
        }
    }

    @Test
    void cancelBuildStopsABuildRunningInAnotherProcess() throws Exception {
        String marker = "sleep 4177";
        String commit = commitDockerfile(marker);
        try (StrataProcess strata = build("cancelled", commit)) {
            String id = awaitSleeping(strata, marker);

            Run cancel = strata("cancel-build", "--config", config.toString(), id);

            assertThat(cancel.exit()).as(cancel.err()).isZero();
            assertThat(cancel.out().strip()).isEqualTo(id);
            assertThat(strata.awaitExit()).as("a cancelled build has its own exit code").isEqualTo(CliRunner.EXIT_CANCELLED);
            assertThat(strata.stderr()).contains("build " + id + ": CANCELLED");
            assertThat(record(id).path("state").asText()).isEqualTo("CANCELLED");
            assertThat(processesWith(marker)).isEmpty();
            assertThat(buildahContainers()).isEmpty();
            assertThat(home.resolve("strata/workspaces")).isEmptyDirectory();

            Run again = strata("cancel-build", "--config", config.toString(), id);
            assertThat(again.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
            assertThat(again.out()).isEmpty();
            assertThat(again.err()).contains("build " + id + " is CANCELLED already; there is nothing to cancel",
                    "[BUILD_NOT_RUNNING]", "fix: see `strata get-build " + id + "`");
        }
    }

    @Test
    void aFailedRunStepLeavesNoWorkingContainerNorWorkspace() throws Exception {
        String commit = commitDockerfile("exit 3");
        try (StrataProcess strata = build("failing", commit)) {
            assertThat(strata.awaitExit()).isEqualTo(CliRunner.EXIT_FAILURE);
            assertThat(strata.stderr()).contains("[BUILD_FAILED]");
        }

        assertThat(buildahContainers()).isEmpty();
        assertThat(home.resolve("strata/workspaces")).isEmptyDirectory();
    }

    /** Rounds of the kill loop below; docs/store.md quotes the figure. */
    static final int KILL_ROUNDS = 8;

    /**
     * `strata build` killed with SIGKILL at a random moment of its run (start-up, checkout, buildah,
     * push, the final commit), then another command: each build is either COMPLETE (the kill came
     * after its last commit) or FAILED INTERRUPTED, never RUNNING; nothing of it is left behind;
     * the store passes SQLite's integrity check at the end.
     */
    @Test
    void buildsKilledAtRandomMomentsAreAllEndedAndLeaveNothingBehind() throws Exception {
        java.util.Random random = new java.util.Random(20261201L);
        repo.write("Dockerfile", "FROM " + baseImage + "\nLABEL name=" + nameLabel + " version=1\nCOPY round.txt /round.txt\n"
                + "RUN sleep 1 && cat /round.txt\n");
        List<String> outcomes = new ArrayList<>();
        int builds = 0;
        for (int round = 0; round < KILL_ROUNDS; round++) {
            repo.write("round.txt", "round " + round + "\n");
            String commit = repo.commit("round " + round);
            int delay = random.nextInt(9_000); // a build takes about 8 s here
            String stderr;
            try (StrataProcess strata = build("killed-at-random", commit)) {
                Thread.sleep(delay);
                // Not strata.signal: the build may have ended before the delay, and kill then fails.
                new ProcessBuilder("kill", "-KILL", Long.toString(strata.pid())).start().waitFor();
                strata.awaitExit();
                stderr = strata.stderr();
            }

            Run list = strata("list-builds", "--config", config.toString(), "--json");

            assertThat(list.exit()).as(list.err()).isZero();
            for (JsonNode build : JSON.readTree(list.out())) {
                String state = build.path("state").asText();
                assertThat(state).isIn("COMPLETE", "FAILED");
                if (state.equals("FAILED")) {
                    assertThat(record(build.path("id").asText()).path("failure").path("reason").asText())
                            .isEqualTo("INTERRUPTED");
                }
            }
            assertThat(processesWith(home.resolve("buildah").toString())).isEmpty();
            assertThat(buildahContainers()).isEmpty();
            assertThat(home.resolve("strata/workspaces")).satisfiesAnyOf(
                    dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
            JsonNode listed = JSON.readTree(list.out());
            String last = stderr.lines().reduce((first, second) -> second).orElse("");
            outcomes.add(delay + " ms: " + (listed.size() > builds ? listed.get(0).path("state").asText() : "not created")
                    + " (" + last + ")");
            builds = listed.size();
        }
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("strata/store/strata.db"));
                var check = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertThat(check.next()).isTrue();
            assertThat(check.getString(1)).isEqualTo("ok");
        }
        System.out.println("kill loop of strata build:\n" + String.join("\n", outcomes));
    }

    @Test
    void eightBuildsAtOnceOnOneHomeAllCompleteWithUniqueReleases() throws Exception {
        // `env` shows the RUN step's environment in the log: the mark of a build's processes is not in it.
        String commit = commitDockerfile("env");
        List<StrataProcess> builds = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                builds.add(build("concurrent", commit));
            }
            for (StrataProcess strata : builds) {
                assertThat(strata.awaitExit()).as(strata.stderr()).isZero();
            }
        } finally {
            builds.forEach(StrataProcess::close);
        }

        Run list = strata("list-builds", "--config", config.toString(), "--json");
        JsonNode listed = JSON.readTree(list.out());
        assertThat(listed).hasSize(8);
        List<String> releases = new ArrayList<>();
        for (JsonNode summary : listed) {
            assertThat(summary.path("state").asText()).isEqualTo("COMPLETE");
            JsonNode record = record(summary.path("id").asText());
            releases.add(record.path("outputs").get(0).path("labels").path("release").asText());
        }
        assertThat(releases).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8");
        // With --layers only the builds that ran the step before it was cached print its output.
        StringBuilder logs = new StringBuilder();
        for (JsonNode summary : listed) {
            logs.append(strata("build-logs", "--config", config.toString(), summary.path("id").asText()).out());
        }
        assertThat(logs.toString()).contains("PATH=").doesNotContain("IO_STRATA_BUILD_ID");
    }
}
