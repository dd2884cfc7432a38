package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildPage;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.service.ServiceException;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import io.strata.core.store.ConcurrencyLimits;
import io.strata.testkit.Eventually;
import io.strata.worker.buildah.BuildahOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build service over the queue, with real parts: the embedded store, the dry-run engine (or a
 * scripted engine that answers per attempt) and the scheduler, in this JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueuedBuildsTest {
    static final Caller ALICE = Caller.user("alice");
    static final Caller BOB = Caller.user("bob");
    static final Caller ADMIN = Caller.admin("root");

    @TempDir
    Path home;

    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    Configuration config(Map<String, String> overrides) throws StrataException {
        return dryRunConfig(home, overrides);
    }

    /** A configuration of the dry-run engine with its home in {@code home}, plus {@code overrides}. */
    static Configuration dryRunConfig(Path home, Map<String, String> overrides) throws StrataException {
        ConfigSource source = new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home).withOverride("strata_home", home.toString())
                .withOverride("strata_engine", "dry-run");
        for (var entry : overrides.entrySet()) {
            source = source.withOverride(entry.getKey(), entry.getValue());
        }
        return ConfigLoader.load(source).config();
    }

    LocalServices open(Map<String, String> overrides) throws StrataException {
        LocalServices services = LocalServices.open(config(overrides), BuildahOptions.systemDefault(),
                new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
        opened.add(services);
        return services;
    }

    static QueueScheduler.Settings settings(int concurrency, Duration timeout) {
        return new QueueScheduler.Settings(new ConcurrencyLimits(concurrency, Map.of()), timeout, Duration.ofMillis(50),
                Duration.ofMillis(50), Duration.ofSeconds(15));
    }

    static BuildSubmission request(String component) {
        return BuildSubmission.of(BuildRequest.builder().component(component).gitUri("https://git.example.com/" + component)
                .gitRef("main").build());
    }

    static BuildRecord awaitEnd(LocalBuildService service, BuildId id) throws Exception {
        return service.followStates(id, 0, ADMIN, (build, index, transition) -> true);
    }

    static List<BuildState> states(BuildRecord record) {
        return record.transitions().stream().map(StateTransition::state).toList();
    }

    @Test
    void aSubmittedBuildWaitsPendingThenWalksThroughEveryStateOnTheDryRunEngine() throws Exception {
        LocalServices services = open(Map.of("strata_dry_run_delay", "200ms"));
        BuildRecord submitted = services.builds().submit(request("hello"), ALICE);

        assertThat(submitted.state()).isEqualTo(BuildState.PENDING);
        assertThat(submitted.request().user()).isEqualTo("alice");
        assertThat(services.store().queue()).hasSize(1);

        services.startScheduler(settings(2, Duration.ofHours(3)));
        List<BuildState> followed = Collections.synchronizedList(new ArrayList<>());
        BuildRecord done = services.builds().followStates(submitted.id(), 0, ALICE, (id, index, t) -> followed.add(t.state()));

        assertThat(done.state()).isEqualTo(BuildState.COMPLETE);
        assertThat(followed).containsExactly(BuildState.NEW, BuildState.PENDING, BuildState.RUNNING, BuildState.COMPLETE);
        assertThat(done.steps()).extracting(s -> s.step()).contains("check_out_source", "buildah_build", "tag_and_push");
        List<LogLine> log = new ArrayList<>();
        services.builds().followLogs(submitted.id(), 0, ALICE, (id, line) -> log.add(line));
        assertThat(log).extracting(LogLine::text).contains("dry run: buildah_build (attempt 1, nothing is built)");
        assertThat(services.store().queue()).isEmpty();
        assertThat(services.store().leases()).isEmpty();
    }

    @Test
    void aUserSeesAndCancelsOnlyTheirOwnBuildsAnAdminAll() throws Exception {
        LocalServices services = open(Map.of());
        LocalBuildService service = services.builds();
        BuildId alices = service.submit(request("hello"), ALICE).id();
        BuildId bobs = service.submit(request("world"), BOB).id();

        assertThat(catchThrowableOfType(ServiceException.class, () -> service.get(alices, BOB)).reason())
                .isEqualTo("NOT_YOUR_BUILD");
        assertThat(catchThrowableOfType(ServiceException.class, () -> service.cancel(alices, BOB)).reason())
                .isEqualTo("NOT_YOUR_BUILD");
        assertThat(catchThrowableOfType(ServiceException.class, () -> service.logs(alices, 0, 10, BOB)).reason())
                .isEqualTo("NOT_YOUR_BUILD");
        assertThat(service.listAll(BOB)).extracting(BuildSummary::id).containsExactly(bobs);
        assertThat(service.list(new BuildListQuery(Optional.empty(), Optional.empty(), Optional.of("alice"), Optional.empty(),
                Optional.empty(), 10, Optional.empty()), BOB).builds()).extracting(BuildSummary::id).containsExactly(bobs);
        assertThat(service.listAll(ADMIN)).extracting(BuildSummary::id).containsExactly(bobs, alices);
        assertThat(service.get(alices, ADMIN).id()).isEqualTo(alices);
        assertThat(catchThrowableOfType(ServiceException.class,
                () -> service.get(new BuildId("20261122-100000-000000"), ADMIN)).reason()).isEqualTo("BUILD_NOT_FOUND");
    }

    @Test
    void listingPagesWithACursorAndRefusesBadPaging() throws Exception {
        LocalBuildService service = open(Map.of()).builds();
        List<BuildId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(service.submit(request("c" + i), ALICE).id());
        }
        List<BuildId> seen = new ArrayList<>();
        BuildListQuery query = BuildListQuery.firstPage(2);
        List<Integer> sizes = new ArrayList<>();
        BuildPage page;
        do {
            page = service.list(query, ALICE);
            sizes.add(page.builds().size());
            page.builds().forEach(b -> seen.add(b.id()));
            query = query.withCursor(page.nextCursor());
        } while (page.nextCursor().isPresent());

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactlyElementsOf(ids.reversed());
        for (int bad : new int[] {0, -1, BuildListQuery.MAX_LIMIT + 1}) {
            assertThat(catchThrowableOfType(ServiceException.class, () -> service.list(BuildListQuery.firstPage(bad), ALICE))
                    .reason()).isEqualTo("PAGE_LIMIT_INVALID");
        }
        for (String cursor : List.of("nonsense", "20261122-100000-000000")) {
            assertThat(catchThrowableOfType(ServiceException.class,
                    () -> service.list(BuildListQuery.firstPage(2).withCursor(Optional.of(cursor)), ALICE)).reason())
                    .isEqualTo("PAGE_CURSOR_INVALID");
        }
    }

    @Test
    void aPendingBuildIsCancelledAtOnceAndASecondCancelIsRefused() throws Exception {
        LocalBuildService service = open(Map.of()).builds();
        BuildId id = service.submit(request("hello"), ALICE).id();

        assertThat(service.cancel(id, ALICE).state()).isEqualTo(BuildState.CANCELLED);
        ServiceException again = catchThrowableOfType(ServiceException.class, () -> service.cancel(id, ALICE));
        assertThat(again.reason()).isEqualTo("BUILD_NOT_RUNNING");
        assertThat(again.getMessage()).isEqualTo("build " + id + " is CANCELLED already; there is nothing to cancel");
    }

    @Test
    void aCancelReachesTheRunningWorker() throws Exception {
        LocalServices services = open(Map.of("strata_dry_run_delay", "10m"));
        BuildId id = services.builds().submit(request("hello"), ALICE).id();
        services.startScheduler(settings(2, Duration.ofHours(3)));
        services.builds().followStates(id, 0, ALICE, (b, i, t) -> t.state() != BuildState.RUNNING);

        services.builds().cancel(id, ALICE);
        BuildRecord done = awaitEnd(services.builds(), id);

        assertThat(states(done)).containsExactly(BuildState.NEW, BuildState.PENDING, BuildState.RUNNING, BuildState.CANCELLED);
        assertThat(services.store().leases()).isEmpty();
    }

    @Test
    void aWorkerRunningPastItsLimitEndsTimedOut() throws Exception {
        LocalServices services = open(Map.of("strata_dry_run_delay", "10m"));
        BuildId id = services.builds().submit(request("hello"), ALICE).id();
        services.startScheduler(settings(2, Duration.ofMillis(300)));

        BuildRecord done = awaitEnd(services.builds(), id);

        assertThat(done.state()).isEqualTo(BuildState.FAILED);
        assertThat(done.failure().orElseThrow().reason()).isEqualTo("BUILD_TIMED_OUT");
    }

    @Test
    void noMoreBuildsRunAtOnceThanTheConcurrencyAllowsAndHigherPriorityGoesFirst() throws Exception {
        LocalServices services = open(Map.of("strata_dry_run_delay", "300ms"));
        List<BuildId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(services.builds().submit(request("c" + i), ALICE).id());
        }
        BuildId urgent = services.builds().submit(new BuildSubmission(request("urgent").request().toBuilder().priority(50)
                .build(), Optional.empty()), ALICE).id();
        services.startScheduler(settings(2, Duration.ofHours(3)));
        List<BuildRecord> done = new ArrayList<>();
        for (BuildId id : ids) {
            done.add(awaitEnd(services.builds(), id));
        }
        BuildRecord first = awaitEnd(services.builds(), urgent);

        assertThat(done).allSatisfy(b -> assertThat(b.state()).isEqualTo(BuildState.COMPLETE));
        assertThat(maxRunningAtOnce(done, first)).isLessThanOrEqualTo(2);
        // Submitted last, the urgent build is in the first wave of claims: the two slots are taken by
        // claims running side by side, so one other build may start a moment before it (CI23 saw 2 ms),
        // but never more than the other free slot allows.
        Instant urgentStarted = runningAt(first);
        assertThat(done.stream().filter(b -> runningAt(b).isBefore(urgentStarted)).map(BuildRecord::id))
                .as("builds started before the urgent one").hasSizeLessThanOrEqualTo(1);
    }

    private static Instant runningAt(BuildRecord record) {
        return record.transitions().stream().filter(t -> t.state() == BuildState.RUNNING).findFirst().orElseThrow().at();
    }

    /** From the recorded transitions: the most builds that were RUNNING at one instant. */
    private static int maxRunningAtOnce(List<BuildRecord> builds, BuildRecord... more) {
        List<Object[]> edges = new ArrayList<>();
        List<BuildRecord> all = new ArrayList<>(builds);
        all.addAll(List.of(more));
        for (BuildRecord b : all) {
            List<StateTransition> t = b.transitions();
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i).state() == BuildState.RUNNING) {
                    edges.add(new Object[] {t.get(i).at(), 1});
                    edges.add(new Object[] {t.get(i + 1).at(), -1});
                }
            }
        }
        // Ends before starts at the same instant: a slot freed and taken again is not two at once.
        edges.sort((a, b) -> ((Instant) a[0]).compareTo((Instant) b[0]) != 0 ? ((Instant) a[0]).compareTo((Instant) b[0])
                : Integer.compare((int) a[1], (int) b[1]));
        int now = 0;
        int max = 0;
        for (Object[] edge : edges) {
            now += (int) edge[1];
            max = Math.max(max, now);
        }
        return max;
    }

    @Test
    void stoppingTheServicePutsItsRunningBuildsBackInTheQueueAndTheNextStartRunsThem() throws Exception {
        LocalServices services = open(Map.of("strata_dry_run_delay", "10m"));
        BuildId id = services.builds().submit(request("hello"), ALICE).id();
        services.startScheduler(settings(2, Duration.ofHours(3)));
        services.builds().followStates(id, 0, ALICE, (b, i, t) -> t.state() != BuildState.RUNNING);

        services.close();
        opened.remove(services);

        LocalServices again = open(Map.of("strata_dry_run_delay", "100ms"));
        BuildRecord waiting = again.builds().get(id, ALICE);
        assertThat(waiting.state()).isEqualTo(BuildState.PENDING);
        assertThat(again.builds().logs(id, 0, 100, ALICE)).extracting(LogLine::text)
                .anyMatch(line -> line.startsWith("the service stopped while the build ran (attempt 1 of 3)"));
        again.startScheduler(settings(2, Duration.ofHours(3)));
        assertThat(states(awaitEnd(again.builds(), id))).containsExactly(BuildState.NEW, BuildState.PENDING,
                BuildState.RUNNING, BuildState.PENDING, BuildState.RUNNING, BuildState.COMPLETE);
    }

    @Test
    void theSchedulerTakesItsLimitsAndTimeoutFromTheConfiguration() throws Exception {
        Path conf = Files.writeString(home.resolve("osbs.conf"), """
                [default]
                strata_concurrency = 3
                worker_max_run_hours = 5
                [platform:x86_64]
                max_concurrent_builds = 1
                [platform:aarch64]
                architecture = arm64
                """);
        Configuration config = ConfigLoader.load(new ConfigSource(Optional.of(conf), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home)).config();

        QueueScheduler.Settings settings = QueueScheduler.Settings.from(config);

        assertThat(settings.limits()).isEqualTo(new ConcurrencyLimits(3, Map.of("x86_64", 1)));
        assertThat(settings.timeout()).isEqualTo(Duration.ofHours(5));
        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.backoff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.backoff(40)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aDryRunDelayThatIsNoDurationIsOneClearMessage() {
        for (String bad : List.of("soon", "2", "2 weeks", "-1s", "1.5s")) {
            StrataException refused = catchThrowableOfType(StrataException.class, () -> open(Map.of("strata_dry_run_delay", bad)));
            assertThat(refused.reason()).isEqualTo("DRY_RUN_DELAY_INVALID");
            assertThat(refused.getMessage()).isEqualTo("strata_dry_run_delay = '" + bad + "' is not a duration");
            assertThat(refused.hint()).contains("strata_dry_run_delay = 2s");
        }
    }

    @Test
    void aServiceOpenedForRecordsRunsNothing() throws Exception {
        LocalServices records = LocalServices.openRecords(config(Map.of()), new PrintStream(diagnostics, true,
                StandardCharsets.UTF_8));
        opened.add(records);

        StrataException refused = catchThrowableOfType(StrataException.class, () -> records.builds().submit(request("x"), ALICE));

        assertThat(refused.reason()).isEqualTo("ENGINE_NOT_AVAILABLE");
        assertThat(records.builds().listAll(ADMIN)).isEmpty();
    }

    // ---- with a scripted engine: retries and credentials

    /** An engine whose worker answers per attempt as the test says, and which remembers the specs it got. */
    static class ScriptedEngine implements Engine {
        final List<WorkerSpec> specs = Collections.synchronizedList(new ArrayList<>());
        private final Function<WorkerSpec, WorkerResult> answer;

        ScriptedEngine(Function<WorkerSpec, WorkerResult> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public EngineRun start(WorkerSpec spec, BuildListener events) throws StrataException {
            specs.add(spec);
            return ThreadRun.start(spec.buildId(), "scripted-", () -> answer.apply(spec));
        }

        @Override
        public void close() {}
    }

    /** The scheduler {@link #scripted} started last. */
    private QueueScheduler lastScheduler;

    private LocalBuildService scripted(ScriptedEngine engine, Configuration config) throws Exception {
        BuildStore store = io.strata.local.store.BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        opened.add(store);
        PrintStream diag = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
        SecretVault vault = new SecretVault(home.resolve("secrets"));
        var orphans = new OrphanedBuilds(store, new io.strata.worker.buildah.WorkingContainers(BuildahOptions.systemDefault()),
                Clock.systemUTC(), diag);
        var service = new LocalBuildService(store, Optional.of(engine), config, vault, home.resolve("workspaces"),
                Clock.systemUTC(), diag, orphans);
        var scheduler = new QueueScheduler(store, engine, vault, home.resolve("workspaces"), settings(2, Duration.ofHours(3)),
                Clock.systemUTC(), diag, orphans);
        opened.add(scheduler);
        lastScheduler = scheduler;
        service.onQueueChange(scheduler::wake);
        scheduler.start();
        return service;
    }

    @Test
    void aTransientFailureIsTriedAgainWithBackoffAndTheBuildEndsAfterItsLastAttempt() throws Exception {
        ScriptedEngine engine = new ScriptedEngine(spec -> spec.attempt() == 1 || spec.request().component().equals("never")
                ? WorkerResult.failed(new Failure("REGISTRY_UNREACHABLE", "registry away", "wait"), true)
                : WorkerResult.complete());
        LocalBuildService service = scripted(engine, config(Map.of("strata_build_attempts", "3")));
        BuildId once = service.submit(request("once"), ALICE).id();
        BuildId never = service.submit(request("never"), ALICE).id();

        BuildRecord passed = awaitEnd(service, once);
        BuildRecord failed = awaitEnd(service, never);

        assertThat(states(passed)).containsExactly(BuildState.NEW, BuildState.PENDING, BuildState.RUNNING, BuildState.PENDING,
                BuildState.RUNNING, BuildState.COMPLETE);
        assertThat(service.logs(once, 0, 10, ALICE)).extracting(LogLine::text).singleElement().asString()
                .startsWith("attempt 1 of 3 failed: registry away [REGISTRY_UNREACHABLE]; trying again in");
        assertThat(states(failed)).containsExactly(BuildState.NEW, BuildState.PENDING, BuildState.RUNNING, BuildState.PENDING,
                BuildState.RUNNING, BuildState.PENDING, BuildState.RUNNING, BuildState.FAILED);
        assertThat(failed.failure().orElseThrow().reason()).isEqualTo("REGISTRY_UNREACHABLE");
        Map<BuildId, List<Integer>> attempts = new HashMap<>();
        engine.specs.forEach(s -> attempts.computeIfAbsent(s.buildId(), k -> new ArrayList<>()).add(s.attempt()));
        assertThat(attempts).containsEntry(once, List.of(1, 2)).containsEntry(never, List.of(1, 2, 3));
        // The second attempt's log continues the first's (the queue's line is number 1).
        assertThat(engine.specs).filteredOn(s -> s.buildId().equals(once) && s.attempt() == 2)
                .singleElement().extracting(WorkerSpec::logAfter).isEqualTo(1L);
    }

    @Test
    void aResumedBuildFollowsTheWorkerItsEngineFindsAgainInsteadOfStartingAnother() throws Exception {
        // Attempt 1's worker logs two lines and its follower fails transiently, but the worker lives on
        // (a pod outliving the service): attempt 2 re-attaches to it and starts nothing.
        List<WorkerSpec> reattached = Collections.synchronizedList(new ArrayList<>());
        List<Long> recordedLines = Collections.synchronizedList(new ArrayList<>());
        ScriptedEngine engine = new ScriptedEngine(spec -> WorkerResult.failed(new Failure("CLUSTER_UNREACHABLE", "cluster away", "wait"), true)) {
            @Override
            public EngineRun start(WorkerSpec spec, BuildListener events) throws StrataException {
                logLine(events, spec, spec.logAfter() + 1, "one");
                logLine(events, spec, spec.logAfter() + 2, "two");
                return super.start(spec, events);
            }

            @Override
            public Optional<EngineRun> reattach(WorkerSpec spec, io.strata.core.engine.RecordedLog recorded, BuildListener events)
                    throws StrataException {
                reattached.add(spec);
                recordedLines.add(recorded.workerLinesAfter(0));
                logLine(events, spec, spec.logAfter() + 1, "three");
                return Optional.of(ThreadRun.start(spec.buildId(), "reattached-", WorkerResult::complete));
            }
        };
        LocalBuildService service = scripted(engine, config(Map.of("strata_build_attempts", "3")));
        BuildId id = service.submit(request("resumed"), ALICE).id();

        BuildRecord done = awaitEnd(service, id);

        assertThat(done.state()).as(String.valueOf(done.failure())).isEqualTo(BuildState.COMPLETE);
        assertThat(engine.specs).extracting(WorkerSpec::attempt).containsExactly(1);
        assertThat(reattached).singleElement().satisfies(spec -> {
            assertThat(spec.attempt()).isEqualTo(2);
            assertThat(spec.logAfter()).as("after the worker's two lines and the queue's note").isEqualTo(3L);
        });
        assertThat(recordedLines).as("the worker's lines the record holds, the queue's note left out").containsExactly(2L);
        assertThat(service.logs(id, 0, 10, ALICE)).extracting(LogLine::text).hasSize(4)
                .startsWith("one", "two").endsWith("three");
    }

    @Test
    void stoppingTheServiceLeavesAWorkerThatCanOutliveItRunningAndTheNextServiceReattachesToIt() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        List<WorkerSpec> reattached = Collections.synchronizedList(new ArrayList<>());
        ScriptedEngine engine = new ScriptedEngine(spec -> WorkerResult.complete()) {
            @Override
            public EngineRun start(WorkerSpec spec, BuildListener events) {
                specs.add(spec);
                return new OutlivingRun(spec.buildId(), calls);
            }

            @Override
            public Optional<EngineRun> reattach(WorkerSpec spec, io.strata.core.engine.RecordedLog recorded, BuildListener events) {
                reattached.add(spec);
                return Optional.of(ThreadRun.start(spec.buildId(), "reattached-", WorkerResult::complete));
            }
        };
        Configuration config = config(Map.of("strata_build_attempts", "3"));
        LocalBuildService first = scripted(engine, config);
        BuildId id = first.submit(request("outliving"), ALICE).id();
        while (engine.specs.isEmpty()) {
            Thread.sleep(20);
        }

        lastScheduler.close();

        assertThat(calls).as("the worker is left running, not cancelled").containsExactly("detach");
        assertThat(first.get(id, ALICE).state()).isEqualTo(BuildState.PENDING);
        LocalBuildService second = scripted(engine, config);
        BuildRecord done = awaitEnd(second, id);
        assertThat(done.state()).as(String.valueOf(done.failure())).isEqualTo(BuildState.COMPLETE);
        assertThat(engine.specs).as("workers started").hasSize(1);
        assertThat(reattached).extracting(WorkerSpec::attempt).containsExactly(2);
        assertThat(calls).containsExactly("detach");
    }

    /** A worker that runs until cancelled, and can be left running (detached) as a pod can. */
    private static final class OutlivingRun implements EngineRun {
        private final BuildId id;
        private final List<String> calls;
        private final java.util.concurrent.CompletableFuture<WorkerResult> result = new java.util.concurrent.CompletableFuture<>();

        OutlivingRun(BuildId id, List<String> calls) {
            this.id = id;
            this.calls = calls;
        }

        @Override
        public BuildId buildId() {
            return id;
        }

        @Override
        public WorkerResult await() throws InterruptedException {
            try {
                return result.get(); // interruptible, as the scheduler's stop needs; completed by cancel or detach only
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void cancel() {
            calls.add("cancel");
            result.complete(WorkerResult.cancelled());
        }

        @Override
        public boolean detach() {
            calls.add("detach");
            result.complete(WorkerResult.cancelled());
            return true;
        }
    }

    private static void logLine(BuildListener events, WorkerSpec spec, long sequence, String text) {
        Instant at = Instant.now();
        events.on(new io.strata.core.event.BuildEvent.LogEmitted(spec.buildId(), at, new LogLine(sequence, at, "worker", text)));
    }

    @Test
    void anEngineThatRefusesToStartTheWorkerFailsTheBuildInsteadOfLeavingItRunning() throws Exception {
        ScriptedEngine refusing = new ScriptedEngine(spec -> WorkerResult.complete()) {
            @Override
            public EngineRun start(WorkerSpec spec, BuildListener events) throws StrataException {
                throw new StrataException("UNKNOWN_STEP", "the plan names a step this engine cannot run", "disable it");
            }
        };
        LocalBuildService service = scripted(refusing, config(Map.of()));
        BuildId id = service.submit(request("hello"), ALICE).id();

        BuildRecord done = awaitEnd(service, id);

        assertThat(states(done)).containsExactly(BuildState.NEW, BuildState.PENDING, BuildState.RUNNING, BuildState.FAILED);
        assertThat(done.failure().orElseThrow().reason()).isEqualTo("UNKNOWN_STEP");
    }

    @Test
    void credentialsOfAQueuedBuildWaitInAPrivateFileNotInTheRecordAndGoWithTheBuild() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ScriptedEngine engine = new ScriptedEngine(spec -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                return WorkerResult.cancelled();
            }
            return WorkerResult.complete();
        });
        LocalBuildService service = scripted(engine, config(Map.of()));
        String secretUri = "https://builder:s3cr3t-t0ken@git.example.com/hello.git";
        BuildRecord submitted = service.submit(new BuildSubmission(request("hello").request().toBuilder().gitUri(secretUri)
                .yumRepoUrls(List.of("https://repo.example.com/x.repo?token=r3p0-t0ken")).build(), Optional.empty()), ALICE);
        Path file = home.resolve("secrets").resolve(submitted.id().value() + ".json");

        assertThat(submitted.request().gitUri()).doesNotContain("s3cr3t-t0ken");
        assertThat(Files.readString(file)).contains("s3cr3t-t0ken", "r3p0-t0ken");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        String storeFiles = storeText();
        assertThat(storeFiles).contains(submitted.id().value()).doesNotContain("s3cr3t-t0ken").doesNotContain("r3p0-t0ken");

        service.followStates(submitted.id(), 0, ALICE, (b, i, t) -> t.state() != BuildState.RUNNING);
        release.countDown();
        assertThat(awaitEnd(service, submitted.id()).state()).isEqualTo(BuildState.COMPLETE);

        assertThat(engine.specs).singleElement().satisfies(spec -> {
            assertThat(spec.request().gitUri()).isEqualTo(secretUri);
            assertThat(spec.request().yumRepoUrls()).containsExactly("https://repo.example.com/x.repo?token=r3p0-t0ken");
        });
        // The scheduler removes the file just after it stores the last state, never before: a claim it
        // lost (the build put back for another attempt) still needs it. So a follower can see COMPLETE
        // while the file is still there (CI once did).
        Eventually.until("the build's credentials file removed", () -> !Files.exists(file));
    }

    @Test
    void credentialsThatCannotBeKeptFailTheBuildUnderTheIdTheMessageNamesAndNothingRuns() throws Exception {
        ScriptedEngine engine = new ScriptedEngine(spec -> WorkerResult.complete());
        LocalBuildService service = scripted(engine, config(Map.of()));
        Files.writeString(home.resolve("secrets"), "a file where the vault's directory belongs");
        String secretUri = "https://builder:s3cr3t-t0ken@git.example.com/hello.git";

        StrataException refused = org.junit.jupiter.api.Assertions.assertThrows(StrataException.class, () -> service.submit(
                new BuildSubmission(request("hello").request().toBuilder().gitUri(secretUri).build(), Optional.empty()), ALICE));

        assertThat(refused.reason()).isEqualTo(SecretVault.SECRET_STORE_UNAVAILABLE);
        assertThat(refused.getMessage()).doesNotContain("s3cr3t-t0ken");
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("build (\\d{8}-\\d{6}-[0-9a-f]+)").matcher(refused.getMessage());
        assertThat(named.find()).as(refused.getMessage()).isTrue();
        BuildRecord failed = service.get(new BuildId(named.group(1)), ALICE);
        assertThat(failed.state()).isEqualTo(BuildState.FAILED);
        assertThat(failed.failure()).get().extracting(Failure::reason).isEqualTo(SecretVault.SECRET_STORE_UNAVAILABLE);
        assertThat(failed.request().gitUri()).doesNotContain("s3cr3t-t0ken");
        assertThat(engine.specs).isEmpty();
    }

    /** Every byte of the embedded store's files, as text. */
    private String storeText() throws Exception {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(home.resolve("store"))) {
            for (Path f : files.toList()) {
                text.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
