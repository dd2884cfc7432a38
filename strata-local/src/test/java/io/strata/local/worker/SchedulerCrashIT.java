package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process running the build queue, with 20 builds queued or running on the dry-run
 * engine, and with 2 real buildah builds; a new process takes over the store. Every build must end
 * COMPLETE, none lost or duplicated, and the store's transitions must show that none ran twice: a
 * build running at the kill went back to PENDING (resumed) and ran once more, every other build
 * ran exactly once.
 */
class SchedulerCrashIT {
    static final int BUILDS = 20;
    static final int CONCURRENCY = 4;
    static final String DRY_RUN_DELAY = "strata_dry_run_delay=";

    @TempDir
    Path home;

    @Test
    void killedMidQueueEveryBuildEndsOnceAndNoneIsLostDuplicatedOrRunTwice() throws Exception {
        Scheduler first = Scheduler.start(home, BUILDS, CONCURRENCY, false, DRY_RUN_DELAY + "3s");
        List<BuildId> submitted = first.awaitSubmitted(BUILDS);
        Map<BuildId, BuildState> atKill;
        try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty())) {
            // Kill while some builds run and others wait (and some may be done): every kind of state.
            while (count(store, BuildState.RUNNING) == 0 || count(store, BuildState.PENDING) == 0
                    || count(store, BuildState.COMPLETE) == 0) {
                assertThat(first.process.isAlive()).as(first.stderr()).isTrue();
                Thread.sleep(100);
            }
            first.process.destroyForcibly(); // SIGKILL
            first.process.waitFor();
            atKill = states(store);
        }
        assertThat(atKill.values()).contains(BuildState.RUNNING, BuildState.PENDING);
        System.out.println("SchedulerCrashIT: at the kill " + atKill.values().stream()
                .collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new, Collectors.counting())));

        Scheduler second = Scheduler.start(home, 0, CONCURRENCY, true, DRY_RUN_DELAY + "500ms");
        assertThat(second.process.waitFor(600, TimeUnit.SECONDS)).as("the second scheduler empties the queue").isTrue();
        assertThat(second.process.exitValue()).as(second.stderr()).isZero();

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
                } else {
                    assertThat(states).as("ran once " + id).containsExactly(BuildState.NEW, BuildState.PENDING,
                            BuildState.RUNNING, BuildState.COMPLETE);
                }
                assertStepsOfOneAttemptAtATime(store.logs(id, 0, 1000), id);
            }
            assertThat(maxRunningAtOnce(store, submitted)).isLessThanOrEqualTo(CONCURRENCY);
        }
    }

    @Test
    void realBuildahBuildsKilledMidBuildResumeKeepTheirReleasesAndComplete() throws Exception {
        Path strata = home.resolve("strata");
        try (RegistryFixture registry = RegistryFixture.start(); BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"))) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            repo.write("Dockerfile", """
                    ARG BASE_IMAGE
                    FROM ${BASE_IMAGE}
                    LABEL name="test/load" version="1.0"
                    RUN sleep 3 && echo built > /built.txt
                    """);
            String commit = repo.commit("a build that takes a while");
            String[] settings = {"strata_engine=local", "registry_uri=http://" + registry.host() + "/v2",
                    "strata_registry_auth_file=" + registry.writeAuthFile(home.resolve("auth.json")),
                    "strata_buildah_root=" + buildah.storageRoot().getParent(), "git_uri=" + repo.uri(), "git_ref=" + commit,
                    "base_image=" + registry.reference("base/busybox:1")};
            Scheduler first = Scheduler.start(strata, 2, 1, false, settings);
            List<BuildId> submitted = first.awaitSubmitted(2);
            Map<BuildId, BuildState> atKill;
            try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(strata), Optional.empty(), Optional.empty())) {
                // Killed in the middle of buildah's RUN step: its release is reserved, its image not pushed.
                while (!inRunStep(store, submitted)) {
                    assertThat(first.process.isAlive()).as(first.stderr()).isTrue();
                    Thread.sleep(100);
                }
                first.process.destroyForcibly();
                first.process.waitFor();
                atKill = states(store);
            }
            assertThat(atKill.values()).containsExactlyInAnyOrder(BuildState.RUNNING, BuildState.PENDING);

            Scheduler second = Scheduler.start(strata, 0, 1, true, settings);
            assertThat(second.process.waitFor(600, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).as(second.stderr()).isZero();

            try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(strata), Optional.empty(), Optional.empty())) {
                List<String> tags = new ArrayList<>();
                for (BuildId id : submitted) {
                    BuildRecord record = store.find(id).orElseThrow();
                    assertThat(record.state()).as(id + ": " + record.failure()).isEqualTo(BuildState.COMPLETE);
                    long runs = record.transitions().stream().filter(t -> t.state() == BuildState.RUNNING).count();
                    assertThat(runs).as("runs of " + id).isEqualTo(atKill.get(id) == BuildState.RUNNING ? 2 : 1);
                    record.outputs().forEach(o -> tags.addAll(o.tags()));
                }
                // The resumed build kept the release it reserved before the kill: none burnt, none shared.
                assertThat(tags).filteredOn(t -> t.startsWith("1.0-")).containsExactlyInAnyOrder("1.0-1", "1.0-2");
                assertThat(store.leases()).isEmpty();
            }
            assertThat(buildah.buildah("containers", "--quiet").strip()).as("working containers left").isEmpty();
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

    private static long count(BuildStore store, BuildState state) throws Exception {
        return states(store).values().stream().filter(s -> s == state).count();
    }

    private static Map<BuildId, BuildState> states(BuildStore store) throws Exception {
        return store.list(BuildQuery.all(1000)).stream().collect(Collectors.toMap(BuildSummary::id, BuildSummary::state));
    }

    /**
     * The dry-run worker logs one line per step with its attempt: lines of two attempts never
     * interleave (a build run twice at once would mix them), and each attempt's steps are in order.
     */
    private static void assertStepsOfOneAttemptAtATime(List<LogLine> log, BuildId id) {
        List<String> attempts = log.stream().map(LogLine::text).filter(t -> t.startsWith("dry run: "))
                .map(t -> t.substring(t.indexOf("(attempt "))).toList();
        List<String> blocks = new ArrayList<>();
        for (String attempt : attempts) {
            if (blocks.isEmpty() || !blocks.getLast().equals(attempt)) {
                blocks.add(attempt);
            }
        }
        assertThat(blocks).as("attempts in the log of " + id).doesNotHaveDuplicates();
    }

    /** From the recorded transitions of both processes: the most builds RUNNING at one instant. */
    private static int maxRunningAtOnce(BuildStore store, List<BuildId> ids) throws Exception {
        List<long[]> edges = new ArrayList<>();
        for (BuildId id : ids) {
            List<StateTransition> t = store.find(id).orElseThrow().transitions();
            for (int i = 0; i < t.size() - 1; i++) {
                if (t.get(i).state() == BuildState.RUNNING) {
                    edges.add(new long[] {micros(t.get(i)), 1});
                    edges.add(new long[] {micros(t.get(i + 1)), -1});
                }
            }
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int max = 0;
        for (long[] edge : edges) {
            now += (int) edge[1];
            max = Math.max(max, now);
        }
        return max;
    }

    private static long micros(StateTransition t) {
        return t.at().getEpochSecond() * 1_000_000 + t.at().getNano() / 1000;
    }

    /** A {@link SchedulerProcess} and what it printed. */
    private record Scheduler(Process process, List<String> lines, StringBuilder errors) {
        /** {@code settings}: configuration keys as KEY=VALUE; without strata_engine, the dry-run engine. */
        static Scheduler start(Path home, int submit, int concurrency, boolean untilEmpty, String... settings)
                throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), SchedulerProcess.class.getName(), home.toString(),
                    Integer.toString(submit), Integer.toString(concurrency), untilEmpty ? "until-empty" : "forever"));
            if (Arrays.stream(settings).noneMatch(s -> s.startsWith("strata_engine="))) {
                command.add("strata_engine=dry-run");
            }
            command.addAll(List.of(settings));
            Process process = ChildEnvironment.of(home).processBuilder(command).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            StringBuilder errors = new StringBuilder();
            Thread.ofVirtual().start(() -> {
                try {
                    String text = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (errors) {
                        errors.append(text);
                    }
                } catch (IOException ignored) {
                    // killed
                }
            });
            Thread.ofVirtual().start(() -> {
                try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // killed
                }
            });
            return new Scheduler(process, lines, errors);
        }

        List<BuildId> awaitSubmitted(int expected) throws InterruptedException {
            while (!lines.contains("ready")) {
                assertThat(process.isAlive()).as(stderr()).isTrue();
                Thread.sleep(50);
            }
            List<BuildId> ids = lines.stream().filter(l -> l.startsWith("submitted "))
                    .map(l -> new BuildId(l.substring("submitted ".length()))).toList();
            assertThat(ids).hasSize(expected);
            return ids;
        }

        String stderr() {
            synchronized (errors) {
                return errors.toString();
            }
        }
    }
}
