package io.strata.local.store;

import io.strata.core.io.UrlCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.RpmComponent;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildLease;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import io.strata.core.store.ConcurrencyLimits;
import io.strata.core.store.QueueClaim;
import io.strata.core.store.QueueEntry;
import io.strata.core.store.QueuedBuild;
import io.strata.core.store.LeaseOwner;
import io.strata.core.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link BuildStore} must do, whatever database is behind it. Subclasses say where an
 * empty database is; each test gets a fresh one.
 */
abstract class BuildStoreContract {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** Where the store under test lives. */
    record Target(String url, Optional<String> user, Optional<Secret> password) {}

    /** An empty database for the current test. */
    protected abstract Target emptyDatabase() throws Exception;

    /** A URL naming a database of the same kind that cannot be reached, with {@code password} written into it. */
    protected abstract String unreachableUrl(String password) throws Exception;

    private Target target;
    private BuildStore store;

    @BeforeEach
    void openStore() throws Exception {
        target = emptyDatabase();
        store = open(new SteppingClock(T0));
    }

    @AfterEach
    void closeStore() throws StoreException {
        store.close();
    }

    private BuildStore open(SteppingClock clock) throws StoreException {
        return BuildStores.open(target.url(), target.user(), target.password(), clock);
    }

    static BuildRequest request(String component) {
        return BuildRequest.builder()
                .component(component)
                .gitUri("https://git.example.com/containers/" + component + ".git")
                .gitRef("0123456789abcdef0123456789abcdef01234567")
                .gitBranch("main")
                .target("candidate")
                .platforms(List.of("x86_64", "aarch64"))
                .yumRepoUrls(List.of("https://repos.example.com/extra.repo"))
                .labels(Map.of("vendor", "Example"))
                .buildArgs(Map.of("VERSION", "1.0"))
                .user("alice")
                .kojiTaskId(4242L)
                .priority(3)
                .build();
    }

    /**
     * A follower waiting for news (a build service's stream of a build's states) is woken by the next
     * write this process commits, not at its next poll: it waits ten minutes at most here, and the
     * test would wait for it that long (its bound is only against a hang).
     */
    @Test
    void aWriteCommittedInThisProcessWakesAFollowerWaitingForNews() throws Exception {
        BuildId id = newBuild("followed");
        long seen = store.writesSoFar();
        java.util.concurrent.CountDownLatch woken = new java.util.concurrent.CountDownLatch(1);
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                store.awaitWriteAfter(seen, java.time.Duration.ofMinutes(10));
                woken.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        store.transition(id, BuildState.PENDING, Optional.empty());

        assertThat(woken.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("woken by the transition").isTrue();
        assertThat(store.writesSoFar()).isGreaterThan(seen);
        follower.join();
    }

    private BuildId newBuild(String component) throws StoreException {
        return store.create(request(component), Map.of("registry_uri", "127.0.0.1:5000"), "{\"steps\":[]}").id();
    }

    private static ImageOutput output(String platform, String digest) {
        return new ImageOutput(platform, "127.0.0.1:5000/hello", digest, List.of("hello:1.0-1", "hello:latest"),
                123_456L, List.of("sha256:aaa", "sha256:bbb"),
                List.of(new RpmComponent("bash", "5.2.26", "1.fc40", platform, "0123abcd", "")),
                Map.of("name", "hello"), Map.of("busybox:latest", "busybox@sha256:ccc"));
    }

    private static List<LogLine> lines(long first, long last) {
        return LongStream.rangeClosed(first, last)
                .mapToObj(n -> new LogLine(n, T0.plusMillis(n), "build", "line " + n))
                .toList();
    }

    private static StoreException storeFailure(ThrowingCall call) {
        try {
            call.run();
        } catch (StoreException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a StoreException, got " + e, e);
        }
        throw new AssertionError("expected a StoreException, but the call succeeded");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    // ---- create and find

    @Test
    void createdBuildIsNewAndReadsBackWhole() throws StoreException {
        BuildRecord created = store.create(request("hello"), Map.of("registry_uri", "127.0.0.1:5000",
                "vendor", "Example"), "{\"steps\":[{\"name\":\"check\"}]}");

        assertThat(created.state()).isEqualTo(BuildState.NEW);
        assertThat(created.createdAt()).isEqualTo(T0.plusSeconds(1)); // second read: the id took the first
        assertThat(created.transitions()).containsExactly(new StateTransition(BuildState.NEW, T0.plusSeconds(1)));
        assertThat(store.find(created.id())).contains(created);
    }

    @Test
    void findOfUnknownBuildIsEmpty() throws StoreException {
        assertThat(store.find(new BuildId("20261122-100000-abcdef"))).isEmpty();
    }

    /** What a follower of a build's states reads after each write instead of the whole record. */
    @Test
    void theCountOfStateChangesIsTheRecordsAndNoneForAnUnknownBuild() throws StoreException {
        BuildId id = newBuild("counted");
        assertThat(store.transitionCount(id)).isEqualTo(1);

        store.transition(id, BuildState.PENDING, Optional.empty());
        store.appendLog(id, lines(1, 3));
        store.transition(id, BuildState.RUNNING, Optional.empty());

        assertThat(store.transitionCount(id)).isEqualTo(3).isEqualTo(store.find(id).orElseThrow().transitions().size());
        assertThat(store.transitionCount(new BuildId("20261122-100000-abcdef"))).isZero();
    }

    // ---- transitions

    /** Every state paired with every state, and whether the move is allowed: the rule, written out. */
    static Stream<Arguments> everyMove() {
        Map<BuildState, Set<BuildState>> allowed = Map.of(
                BuildState.NEW, EnumSet.of(BuildState.PENDING, BuildState.RUNNING, BuildState.FAILED, BuildState.CANCELLED),
                BuildState.PENDING, EnumSet.of(BuildState.RUNNING, BuildState.FAILED, BuildState.CANCELLED),
                BuildState.RUNNING, EnumSet.of(BuildState.PENDING, BuildState.COMPLETE, BuildState.FAILED,
                        BuildState.CANCELLED),
                BuildState.COMPLETE, EnumSet.noneOf(BuildState.class),
                BuildState.FAILED, EnumSet.noneOf(BuildState.class),
                BuildState.CANCELLED, EnumSet.noneOf(BuildState.class));
        List<Arguments> moves = new ArrayList<>();
        for (BuildState from : BuildState.values()) {
            for (BuildState to : BuildState.values()) {
                moves.add(Arguments.of(from, to, allowed.get(from).contains(to)));
            }
        }
        return moves.stream();
    }

    /** How to bring a new build into each state. */
    private static final Map<BuildState, List<BuildState>> PATH_TO = Map.of(
            BuildState.NEW, List.of(),
            BuildState.PENDING, List.of(BuildState.PENDING),
            BuildState.RUNNING, List.of(BuildState.PENDING, BuildState.RUNNING),
            BuildState.COMPLETE, List.of(BuildState.RUNNING, BuildState.COMPLETE),
            BuildState.FAILED, List.of(BuildState.RUNNING, BuildState.FAILED),
            BuildState.CANCELLED, List.of(BuildState.CANCELLED));

    private static final Failure FAILURE = new Failure("BUILDAH_FAILED", "buildah exited with 125",
            "fix the RUN instruction the log names, then build again");

    private BuildId buildIn(BuildState state) throws StoreException {
        BuildId id = newBuild("hello");
        for (BuildState step : PATH_TO.get(state)) {
            store.transition(id, step, step == BuildState.FAILED ? Optional.of(FAILURE) : Optional.empty());
        }
        return id;
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyMove")
    void movesFollowTheStateRules(BuildState from, BuildState to, boolean allowed) throws StoreException {
        BuildId id = buildIn(from);
        Optional<Failure> failure = to == BuildState.FAILED ? Optional.of(FAILURE) : Optional.empty();

        if (allowed) {
            store.transition(id, to, failure);
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(to);
        } else {
            StoreException refused = storeFailure(() -> store.transition(id, to, failure));
            assertThat(refused.reason()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(refused.getMessage()).isEqualTo("build " + id + " cannot move from " + from + " to " + to);
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(from);
        }
    }

    @Test
    void transitionsAreRecordedInOrderWithTheirTimes() throws StoreException {
        BuildId id = newBuild("hello"); // clock reads 0 (id) and 1 (created)
        store.transition(id, BuildState.PENDING, Optional.empty());
        store.transition(id, BuildState.RUNNING, Optional.empty());
        store.transition(id, BuildState.COMPLETE, Optional.empty());

        assertThat(store.find(id).orElseThrow().transitions()).containsExactly(
                new StateTransition(BuildState.NEW, T0.plusSeconds(1)),
                new StateTransition(BuildState.PENDING, T0.plusSeconds(2)),
                new StateTransition(BuildState.RUNNING, T0.plusSeconds(3)),
                new StateTransition(BuildState.COMPLETE, T0.plusSeconds(4)));
        assertThat(store.list(BuildQuery.all(10)).getFirst().finishedAt()).contains(T0.plusSeconds(4));
    }

    @Test
    void failedNeedsAFailure() throws StoreException {
        BuildId id = buildIn(BuildState.RUNNING);

        StoreException refused = storeFailure(() -> store.transition(id, BuildState.FAILED, Optional.empty()));

        assertThat(refused.reason()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(refused.getMessage()).isEqualTo("build " + id + " cannot move from RUNNING to FAILED without a failure");
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(BuildState.RUNNING);
    }

    @Test
    void failedKeepsItsFailure() throws StoreException {
        BuildId id = buildIn(BuildState.FAILED);

        BuildRecord record = store.find(id).orElseThrow();
        assertThat(record.failure()).contains(FAILURE);
        assertThat(store.list(BuildQuery.all(1)).getFirst().failureReason()).contains("BUILDAH_FAILED");
    }

    @Test
    void onlyFailedAndCancelledCarryAFailure() throws StoreException {
        BuildId id = buildIn(BuildState.NEW);

        StoreException refused = storeFailure(() -> store.transition(id, BuildState.RUNNING, Optional.of(FAILURE)));

        assertThat(refused.reason()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(refused.getMessage()).isEqualTo(
                "build " + id + " cannot move from NEW to RUNNING with a failure (BUILDAH_FAILED)");
    }

    @Test
    void cancelledMayCarryAFailure() throws StoreException {
        BuildId id = buildIn(BuildState.RUNNING);
        Failure cancelled = new Failure("CANCELLED", "cancelled by alice");

        store.transition(id, BuildState.CANCELLED, Optional.of(cancelled));

        assertThat(store.find(id).orElseThrow().failure()).contains(cancelled);
    }

    // ---- what a build records

    @Test
    void stepsCommitOutputsAndMetadataReadBackInOrder() throws StoreException {
        BuildId id = buildIn(BuildState.RUNNING);
        StepTiming checkout = new StepTiming("checkout", T0.plusMillis(1), T0.plusMillis(900), StepOutcome.SUCCEEDED);
        StepTiming build = new StepTiming("build", T0.plusSeconds(1), T0.plusSeconds(61), StepOutcome.SUCCEEDED);
        StepTiming scan = new StepTiming("scan", T0.plusSeconds(62), T0.plusSeconds(63), StepOutcome.FAILED_ALLOWED);
        ImageOutput amd = output("x86_64", "sha256:111");
        ImageOutput arm = output("aarch64", "sha256:222");

        store.recordStep(id, checkout);
        store.recordStep(id, build);
        store.recordStep(id, scan);
        store.recordCommit(id, "0123456789abcdef0123456789abcdef01234567");
        store.recordOutput(id, amd);
        store.recordOutput(id, arm);
        store.recordKojiMetadata(id, "{\"metadata_version\":0}");

        BuildRecord record = store.find(id).orElseThrow();
        assertThat(record.steps()).containsExactly(checkout, build, scan);
        assertThat(record.commitId()).contains("0123456789abcdef0123456789abcdef01234567");
        assertThat(record.outputs()).containsExactly(amd, arm);
        assertThat(record.kojiMetadata()).contains("{\"metadata_version\":0}");
        assertThat(store.list(BuildQuery.all(1)).getFirst().pullspec()).contains("127.0.0.1:5000/hello@sha256:111");
    }

    @Test
    void aSecondOutputOfAPlatformReplacesTheFirst() throws StoreException {
        BuildId id = buildIn(BuildState.RUNNING);
        ImageOutput pushed = output("x86_64", "sha256:111");
        ImageOutput gathered = new ImageOutput("x86_64", pushed.repository(), pushed.digest(), pushed.tags(),
                pushed.sizeBytes(), pushed.layerDigests(), List.of(), pushed.labels(), pushed.parentImages());
        ImageOutput arm = output("aarch64", "sha256:222");

        store.recordOutput(id, gathered);
        store.recordOutput(id, arm);
        store.recordOutput(id, pushed);

        assertThat(store.find(id).orElseThrow().outputs()).containsExactly(pushed, arm);
    }

    @Test
    void instantsAreKeptToTheMicrosecond() throws StoreException {
        BuildId id = newBuild("hello");
        StepTiming step = new StepTiming("build", Instant.parse("2026-11-22T10:00:00.123456789Z"),
                Instant.parse("2026-11-22T10:00:01.000000999Z"), StepOutcome.SUCCEEDED);

        store.recordStep(id, step);

        assertThat(store.find(id).orElseThrow().steps()).containsExactly(new StepTiming("build",
                Instant.parse("2026-11-22T10:00:00.123456Z"), Instant.parse("2026-11-22T10:00:01Z"), StepOutcome.SUCCEEDED));
    }

    /** Each operation on a build, called for a build that does not exist. */
    static Stream<Arguments> operationsOnABuild() {
        BuildId missing = new BuildId("20261122-100000-000000");
        Map<String, StoreCall> calls = Map.of(
                "transition", s -> s.transition(missing, BuildState.RUNNING, Optional.empty()),
                "recordStep", s -> s.recordStep(missing, new StepTiming("build", T0, T0, StepOutcome.SUCCEEDED)),
                "recordCommit", s -> s.recordCommit(missing, "abc"),
                "recordOutput", s -> s.recordOutput(missing, output("x86_64", "sha256:1")),
                "recordKojiMetadata", s -> s.recordKojiMetadata(missing, "{}"),
                "appendLog", s -> s.appendLog(missing, lines(1, 1)),
                "logs", s -> s.logs(missing, 0, 10));
        return calls.entrySet().stream().map(call -> Arguments.of(call.getKey(), call.getValue()));
    }

    @FunctionalInterface
    interface StoreCall {
        void call(BuildStore store) throws StoreException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationsOnABuild")
    void unknownBuildIsReportedWithAHint(String operation, StoreCall call) {
        StoreException missing = storeFailure(() -> call.call(store));

        assertThat(missing.reason()).isEqualTo("BUILD_NOT_FOUND");
        assertThat(missing.getMessage()).isEqualTo("no build 20261122-100000-000000 in the build store");
        assertThat(missing.hint()).contains("strata list-builds");
    }

    // ---- logs

    @Test
    void logLinesAppendInBatchesAndReadBackInPages() throws StoreException {
        BuildId id = newBuild("hello");
        store.appendLog(id, lines(1, 3));
        store.appendLog(id, lines(4, 10));
        store.appendLog(id, List.of());

        assertThat(store.logs(id, 0, 100)).isEqualTo(lines(1, 10));
        assertThat(store.logs(id, 3, 4)).isEqualTo(lines(4, 7));
        assertThat(store.logs(id, 10, 5)).isEmpty();
    }

    /** A batch appended after lines 1..5, and the first sequence number that breaks continuity. */
    static Stream<Arguments> brokenBatches() {
        return Stream.of(
                Arguments.of("gap", List.of(7L), 7L),
                Arguments.of("repeat", List.of(5L), 5L),
                Arguments.of("restart", List.of(1L, 2L), 1L),
                Arguments.of("gap inside the batch", List.of(6L, 7L, 9L), 9L),
                Arguments.of("repeat inside the batch", List.of(6L, 6L), 6L),
                Arguments.of("out of order", List.of(7L, 6L), 7L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBatches")
    void logContinuityIsEnforcedAndNothingIsHalfWritten(String name, List<Long> sequences, long offending)
            throws StoreException {
        BuildId id = newBuild("hello");
        store.appendLog(id, lines(1, 5));
        List<LogLine> batch = sequences.stream().map(n -> new LogLine(n, T0, "build", "line " + n)).toList();

        StoreException refused = storeFailure(() -> store.appendLog(id, batch));

        assertThat(refused.reason()).isEqualTo("LOG_OUT_OF_SEQUENCE");
        assertThat(refused.getMessage()).startsWith("log line " + offending + " of build " + id
                + " does not continue its log, which ends at 5 before this batch");
        assertThat(store.logs(id, 0, 100)).isEqualTo(lines(1, 5));
    }

    @Test
    void aNewLogStartsAtOne() throws StoreException {
        BuildId id = newBuild("hello");

        StoreException refused = storeFailure(() -> store.appendLog(id, lines(2, 3)));

        assertThat(refused.getMessage()).isEqualTo("log line 2 of build " + id
                + " does not continue its log, which ends at 0 before this batch; expected 1");
    }

    /**
     * Eight writers race to append the next line of one log. Each learns the log's end, appends
     * after it and, when another writer got there first, is refused and tries again. Nothing may be
     * lost, doubled or fail any other way: the store serialises writers of one build.
     */
    @Test
    void concurrentWritersOfOneLogNeverBreakIt() throws Exception {
        BuildId id = newBuild("hello");
        int writers = 8;
        int linesEach = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                String writer = "writer-" + w;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int k = 0; k < linesEach; k++) {
                        appendWhenFirst(id, writer, writer + " line " + k);
                    }
                    return null;
                }));
            }
            start.countDown();
        }
        for (Future<?> writer : done) {
            writer.get();
        }

        List<LogLine> log = store.logs(id, 0, 1000);
        assertThat(log).extracting(LogLine::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, writers * linesEach).boxed().toList());
        assertThat(log).extracting(LogLine::text).doesNotHaveDuplicates();
    }

    private void appendWhenFirst(BuildId id, String step, String text) throws StoreException {
        while (true) {
            long last = store.logs(id, 0, 1000).size();
            try {
                store.appendLog(id, List.of(new LogLine(last + 1, T0, step, text)));
                return;
            } catch (StoreException e) {
                if (!e.reason().equals("LOG_OUT_OF_SEQUENCE")) {
                    throw e;
                }
            }
        }
    }

    // ---- listing

    @Test
    void listIsNewestFirstWithFiltersAndLimit() throws StoreException {
        BuildId hello1 = newBuild("hello");
        BuildId world1 = newBuild("world");
        BuildId hello2 = newBuild("hello");
        BuildId hello3 = newBuild("hello");
        store.transition(hello2, BuildState.RUNNING, Optional.empty());
        store.transition(world1, BuildState.RUNNING, Optional.empty());

        assertThat(ids(store.list(BuildQuery.all(10)))).containsExactly(hello3, hello2, world1, hello1);
        assertThat(ids(store.list(BuildQuery.all(2)))).containsExactly(hello3, hello2);
        assertThat(ids(store.list(new BuildQuery(Optional.of("hello"), Optional.empty(), 10))))
                .containsExactly(hello3, hello2, hello1);
        assertThat(ids(store.list(new BuildQuery(Optional.empty(), Optional.of(BuildState.RUNNING), 10))))
                .containsExactly(hello2, world1);
        assertThat(ids(store.list(new BuildQuery(Optional.of("hello"), Optional.of(BuildState.RUNNING), 10))))
                .containsExactly(hello2);
        assertThat(store.list(new BuildQuery(Optional.of("nothing"), Optional.empty(), 10))).isEmpty();
    }

    @Test
    void summaryCarriesWhatAListingShows() throws StoreException {
        BuildId id = newBuild("hello");

        assertThat(store.list(BuildQuery.all(1))).containsExactly(new BuildSummary(id, "hello",
                "0123456789abcdef0123456789abcdef01234567", BuildState.NEW, T0.plusSeconds(1), Optional.empty(),
                Optional.empty(), Optional.empty()));
    }

    private static List<BuildId> ids(List<BuildSummary> summaries) {
        return summaries.stream().map(BuildSummary::id).toList();
    }

    // ---- releases

    @Test
    void releasesCountUpPerComponentAndVersion() throws StoreException {
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(1);
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(2);
        assertThat(store.reserveNextRelease("hello", "2.0")).isEqualTo(1);
        assertThat(store.reserveNextRelease("world", "1.0")).isEqualTo(1);
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(3);
    }

    @Test
    void explicitReleasesAreSkippedByComputedOnes() throws StoreException {
        assertThat(store.reserveRelease("hello", "1.0", "5")).isTrue();
        assertThat(store.reserveRelease("hello", "1.0", "5")).isFalse();
        assertThat(store.reserveRelease("hello", "1.0", "7.el9")).isTrue();
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(6);
        assertThat(store.reserveRelease("hello", "1.0", "6")).isFalse();
        assertThat(store.reserveRelease("hello", "1.1", "6")).isTrue();
    }

    @Test
    void concurrentReservationsGetDistinctNumbers() throws Exception {
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> reserved = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                reserved.add(threads.submit(() -> {
                    start.await();
                    return store.reserveNextRelease("hello", "1.0");
                }));
            }
            start.countDown();
        }
        List<Integer> numbers = new ArrayList<>();
        for (Future<Integer> number : reserved) {
            numbers.add(number.get());
        }

        assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(9);
    }

    @Test
    void ofConcurrentCallersTakingOneExplicitReleaseExactlyOneGetsIt() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> taken = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                taken.add(threads.submit(() -> {
                    start.await();
                    return store.reserveRelease("hello", "1.0", "5");
                }));
            }
            start.countDown();
        }
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> result : taken) {
            results.add(result.get());
        }

        assertThat(results).containsExactlyInAnyOrder(true, false, false, false, false, false, false, false);
    }

    // ---- leases

    private static final LeaseOwner OWNER = new LeaseOwner("owner-1", "builder.example.com", 4242,
            Optional.of(Instant.parse("2026-11-22T09:00:00Z")));
    private static final LeaseOwner OTHER = new LeaseOwner("owner-2", "builder.example.com", 4343, Optional.empty());
    private static final Failure INTERRUPTED = new Failure("INTERRUPTED", "the process that ran it is gone",
            "build it again");

    @Test
    void aLeaseIsListedRenewedAndGoesWithTheFinalState() throws StoreException {
        BuildId id = newBuild("hello");
        store.takeLease(id, OWNER, "/work/" + id);
        store.transition(id, BuildState.RUNNING, Optional.empty());

        BuildLease lease = store.leases().getFirst();
        assertThat(lease.buildId()).isEqualTo(id);
        assertThat(lease.owner()).isEqualTo(OWNER);
        assertThat(lease.workspace()).isEqualTo("/work/" + id);
        assertThat(lease.processGroup()).isEmpty();
        assertThat(lease.cancelRequested()).isFalse();

        assertThat(store.heartbeat(id, OWNER, OptionalLong.of(777))).isFalse();
        BuildLease renewed = store.leases().getFirst();
        assertThat(renewed.processGroup()).hasValue(777);
        assertThat(renewed.heartbeatAt()).isAfter(lease.heartbeatAt());

        store.transition(id, BuildState.COMPLETE, Optional.empty());
        assertThat(store.leases()).isEmpty();
    }

    @Test
    void aCancelRequestReachesTheOwnerAtItsNextHeartbeat() throws StoreException {
        BuildId id = newBuild("hello");
        store.takeLease(id, OWNER, "/work/" + id);

        assertThat(store.requestCancel(id)).isTrue();

        assertThat(store.heartbeat(id, OWNER, OptionalLong.empty())).isTrue();
        assertThat(store.leases().getFirst().cancelRequested()).isTrue();
    }

    @Test
    void aBuildWithoutLeaseCannotBeCancelled() throws StoreException {
        BuildId finished = buildIn(BuildState.COMPLETE);

        assertThat(store.requestCancel(finished)).isFalse();
        assertThat(storeFailure(() -> store.requestCancel(new BuildId("20261122-100000-000000"))).reason())
                .isEqualTo("BUILD_NOT_FOUND");
    }

    @Test
    void aFinishedBuildTakesNoLease() throws StoreException {
        BuildId finished = buildIn(BuildState.FAILED);

        assertThat(storeFailure(() -> store.takeLease(finished, OWNER, "/work")).reason()).isEqualTo("ILLEGAL_TRANSITION");
    }

    @Test
    void anOrphanedBuildEndsFailedOnceAndItsOwnerLearnsTheLeaseIsLost() throws StoreException {
        BuildId id = newBuild("hello");
        store.takeLease(id, OWNER, "/work/" + id);
        store.transition(id, BuildState.RUNNING, Optional.empty());

        assertThat(store.endOrphaned(id, OTHER.id(), INTERRUPTED)).isFalse();
        assertThat(store.endOrphaned(id, OWNER.id(), INTERRUPTED)).isTrue();
        assertThat(store.endOrphaned(id, OWNER.id(), INTERRUPTED)).isFalse();

        BuildRecord record = store.find(id).orElseThrow();
        assertThat(record.state()).isEqualTo(BuildState.FAILED);
        assertThat(record.failure()).contains(INTERRUPTED);
        assertThat(store.leases()).isEmpty();
        StoreException lost = storeFailure(() -> store.heartbeat(id, OWNER, OptionalLong.empty()));
        assertThat(lost.reason()).isEqualTo("LEASE_LOST");
    }

    // ---- lifecycle

    @Test
    void reopeningKeepsEverything() throws StoreException {
        BuildId id = buildIn(BuildState.RUNNING);
        store.appendLog(id, lines(1, 3));
        store.reserveNextRelease("hello", "1.0");
        BuildRecord before = store.find(id).orElseThrow();
        store.close();

        store = open(new SteppingClock(T0.plusSeconds(3600)));

        assertThat(store.find(id)).contains(before);
        assertThat(store.logs(id, 0, 10)).isEqualTo(lines(1, 3));
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(2);
    }

    @Test
    void unreachableDatabaseIsReportedWithoutThePassword() throws Exception {
        String url = unreachableUrl("hunter2");

        StoreException unavailable = storeFailure(() -> BuildStores.open(url, Optional.of("strata"),
                Optional.of(Secret.of("s3cret"))));

        assertThat(unavailable.reason()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(unavailable.getMessage())
                .startsWith("cannot use the build store at " + UrlCredentials.redact(url) + ": ")
                .contains("****")
                .doesNotContain("hunter2")
                .doesNotContain("s3cret");
        assertThat(unavailable.hint()).contains("strata_store_url");
    }

    // ---- the queue

    private static final ConcurrencyLimits ROOMY = new ConcurrencyLimits(100, Map.of());

    private BuildId queued(String component, int priority, String platform) throws StoreException {
        BuildId id = newBuild(component);
        store.enqueue(id, new QueueEntry("dry-run", platform, priority, 3));
        return id;
    }

    @Test
    void aQueuedBuildIsPendingAndListedByPriorityThenAge() throws StoreException {
        BuildId low = queued("low", 0, "x86_64");
        BuildId high = queued("high", 5, "x86_64");
        BuildId lowLater = queued("later", 0, "x86_64");

        assertThat(store.find(low).orElseThrow().state()).isEqualTo(BuildState.PENDING);
        assertThat(store.queue()).extracting(QueuedBuild::id).containsExactly(high, low, lowLater);
        assertThat(store.queue()).allSatisfy(q -> {
            assertThat(q.state()).isEqualTo(BuildState.PENDING);
            assertThat(q.attempts()).isZero();
        });
    }

    @Test
    void theDueBuildsAreThePendingOnesOfAnEngineDueNowInQueueOrderAtMostTheLimit() throws StoreException {
        BuildId low = queued("low", 0, "x86_64");
        BuildId high = queued("high", 5, "x86_64");
        BuildId lowLater = queued("later", 0, "x86_64");
        BuildId running = queued("running", 9, "x86_64");
        BuildId waiting = queued("waiting", 9, "x86_64");
        BuildId otherEngine = newBuild("other");
        store.enqueue(otherEngine, new QueueEntry("local", "x86_64", 9, 3));
        store.claim(running, OWNER, "/work/" + running, ROOMY).orElseThrow();
        QueueClaim backingOff = store.claim(waiting, OWNER, "/work/" + waiting, ROOMY).orElseThrow();
        assertThat(store.requeue(waiting, backingOff.fencingToken(), T0.plusSeconds(86_400), "backing off")).isTrue();
        Instant now = T0.plusSeconds(3600);

        assertThat(store.due("dry-run", now, 10)).extracting(QueuedBuild::id).containsExactly(high, low, lowLater);
        assertThat(store.due("dry-run", now, 2)).extracting(QueuedBuild::id).containsExactly(high, low);
        assertThat(store.due("dry-run", T0.plusSeconds(86_400), 10)).extracting(QueuedBuild::id)
                .containsExactly(waiting, high, low, lowLater);
        assertThat(store.due("local", now, 10)).extracting(QueuedBuild::id).containsExactly(otherEngine);
        assertThat(store.due("kubernetes", now, 10)).isEmpty();
        // The same as the contract's plain reading of the whole queue.
        assertThat(store.due("dry-run", now, 10)).isEqualTo(store.queue().stream()
                .filter(q -> q.entry().engine().equals("dry-run") && q.isDue(now)).limit(10).toList());
    }

    @Test
    void aClaimLeasesRunsAndFencesTheBuildAndOnlyOneClaimWins() throws StoreException {
        BuildId id = queued("hello", 0, "x86_64");

        QueueClaim claim = store.claim(id, OWNER, "/work/" + id, ROOMY).orElseThrow();

        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(store.claim(id, OTHER, "/work/" + id, ROOMY)).isEmpty();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(BuildState.RUNNING);
        assertThat(store.leases()).extracting(l -> l.owner().id()).containsExactly(OWNER.id());
        assertThat(store.finishClaim(id, claim.fencingToken() + 1, BuildState.COMPLETE, Optional.empty())).isFalse();
        assertThat(store.finishClaim(id, claim.fencingToken(), BuildState.COMPLETE, Optional.empty())).isTrue();
        assertThat(store.finishClaim(id, claim.fencingToken(), BuildState.COMPLETE, Optional.empty())).isFalse();
        assertThat(store.queue()).isEmpty();
        assertThat(store.leases()).isEmpty();
        assertThat(store.find(id).orElseThrow().transitions()).extracting(StateTransition::state)
                .containsExactly(BuildState.NEW, BuildState.PENDING, BuildState.RUNNING, BuildState.COMPLETE);
    }

    @Test
    void aBuildCreatedQueuedIsPendingInOneStepAsAnsweredAndItsClaimCarriesItsRequestAndPlan() throws StoreException {
        BuildId id = BuildId.next(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
        Map<String, String> config = Map.of("registry_uri", "127.0.0.1:5000", "vendor", "Example");
        String plan = "{\"steps\":[{\"name\":\"check\"}]}";

        BuildRecord answered = store.createQueued(id, request("hello"), config, plan, new QueueEntry("dry-run", "x86_64", 3, 2),
                Integer.MAX_VALUE);

        // What the call answers is what the store holds: the service returns it without reading it back.
        assertThat(store.find(id)).contains(answered);
        assertThat(answered.state()).isEqualTo(BuildState.PENDING);
        assertThat(answered.transitions()).extracting(StateTransition::state).containsExactly(BuildState.NEW, BuildState.PENDING);
        assertThat(store.queue()).singleElement().satisfies(q -> {
            assertThat(q.id()).isEqualTo(id);
            assertThat(q.entry()).isEqualTo(new QueueEntry("dry-run", "x86_64", 3, 2));
            assertThat(q.attempts()).isZero();
        });
        QueueClaim claim = store.claim(id, OWNER, "/work/" + id, ROOMY).orElseThrow();
        assertThat(claim.request()).isEqualTo(answered.request());
        assertThat(claim.planJson()).isEqualTo(plan);
        assertThat(claim.fencingToken()).isEqualTo(store.queue().getFirst().fencingToken());
        assertThat(store.finishClaim(id, claim.fencingToken(), BuildState.COMPLETE, Optional.empty())).isTrue();
        assertThatThrownBy(() -> store.createQueued(id, request("again"), config, plan,
                new QueueEntry("dry-run", "x86_64", 0, 1), Integer.MAX_VALUE)).isInstanceOf(StoreException.class);
    }

    @Test
    void claimsKeepWithinTheEngineAndPlatformLimits() throws StoreException {
        BuildId first = queued("one", 0, "x86_64");
        BuildId second = queued("two", 0, "x86_64");
        BuildId other = queued("three", 0, "aarch64");
        var limits = new ConcurrencyLimits(2, Map.of("x86_64", 1));

        assertThat(store.claim(first, OWNER, "/w/1", limits)).isPresent();
        assertThat(store.claim(second, OWNER, "/w/2", limits)).as("x86_64 is full").isEmpty();
        QueueClaim aarch = store.claim(other, OWNER, "/w/3", limits).orElseThrow();
        store.finishClaim(other, aarch.fencingToken(), BuildState.COMPLETE, Optional.empty());
        assertThat(store.claim(second, OWNER, "/w/2", new ConcurrencyLimits(1, Map.of()))).as("the engine is full").isEmpty();
        assertThat(store.claim(second, OWNER, "/w/2", new ConcurrencyLimits(2, Map.of()))).isPresent();
    }

    @Test
    void aRequeuedBuildWaitsItsBackoffKeepsItsLogAndItsNextClaimFencesTheOldOne() throws StoreException {
        BuildId id = queued("hello", 0, "x86_64");
        QueueClaim first = store.claim(id, OWNER, "/work/" + id, ROOMY).orElseThrow();
        store.appendLog(id, lines(1, 2));

        assertThat(store.requeue(id, first.fencingToken(), T0.plusSeconds(3600), "registry away; trying again")).isTrue();

        assertThat(store.find(id).orElseThrow().state()).isEqualTo(BuildState.PENDING);
        assertThat(store.leases()).isEmpty();
        assertThat(store.logs(id, 2, 10)).extracting(LogLine::text).containsExactly("registry away; trying again");
        assertThat(store.claim(id, OWNER, "/work/" + id, ROOMY)).as("not due before its backoff").isEmpty();
        assertThat(store.requeue(id, first.fencingToken(), T0, "stale")).isFalse();
    }

    @Test
    void anOrphanedQueuedBuildResumesUntilItsAttemptsAreUsedUp() throws StoreException {
        BuildId id = newBuild("hello");
        store.enqueue(id, new QueueEntry("dry-run", "x86_64", 0, 2));
        QueueClaim first = store.claim(id, OWNER, "/work/" + id, ROOMY).orElseThrow();

        assertThat(store.endOrphaned(id, OWNER.id(), INTERRUPTED)).isTrue();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(BuildState.PENDING);
        assertThat(store.finishClaim(id, first.fencingToken(), BuildState.COMPLETE, Optional.empty()))
                .as("the dead owner's token is stale").isFalse();

        QueueClaim second = store.claim(id, OTHER, "/work/" + id, ROOMY).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.logEnd()).isEqualTo(1);
        assertThat(store.endOrphaned(id, OTHER.id(), INTERRUPTED)).isTrue();

        BuildRecord record = store.find(id).orElseThrow();
        assertThat(record.state()).isEqualTo(BuildState.FAILED);
        assertThat(record.failure()).contains(INTERRUPTED);
        assertThat(store.queue()).isEmpty();
    }

    @Test
    void onlyAPendingBuildIsCancelledAtOnce() throws StoreException {
        BuildId pending = queued("hello", 0, "x86_64");
        BuildId running = queued("world", 0, "x86_64");
        store.claim(running, OWNER, "/w", ROOMY).orElseThrow();

        assertThat(store.cancelPending(pending)).isTrue();
        assertThat(store.cancelPending(running)).isFalse();
        assertThat(store.cancelPending(pending)).isFalse();
        assertThat(store.find(pending).orElseThrow().state()).isEqualTo(BuildState.CANCELLED);
        assertThat(store.queue()).extracting(QueuedBuild::id).containsExactly(running);
    }

    @Test
    void aBuildKeepsItsReleaseAcrossAttemptsAndNoNumberIsBurnt() throws StoreException {
        BuildId first = newBuild("hello");
        BuildId second = newBuild("hello");

        assertThat(store.reserveReleaseFor(first, "hello", "1.0")).isEqualTo(1);
        assertThat(store.reserveReleaseFor(first, "hello", "1.0")).as("the retry").isEqualTo(1);
        assertThat(store.reserveReleaseFor(second, "hello", "1.0")).isEqualTo(2);
        assertThat(store.reserveNextRelease("hello", "1.0")).isEqualTo(3);
        assertThat(store.reserveReleaseFor(first, "hello", "2.0")).isEqualTo(1);

        assertThat(store.reserveReleaseFor(first, "hello", "1.0", "7.el9")).isTrue();
        assertThat(store.reserveReleaseFor(first, "hello", "1.0", "7.el9")).as("the retry").isTrue();
        assertThat(store.reserveReleaseFor(second, "hello", "1.0", "7.el9")).isFalse();
    }

    @Test
    void listingFiltersByUserAndTimeAndPagesByCursor() throws StoreException {
        BuildId a = newBuild("a");
        BuildId b = store.create(request("b").toBuilder().user("bob").build(), Map.of(), "{}").id();
        BuildId c = newBuild("c");
        Instant createdB = store.find(b).orElseThrow().createdAt();

        assertThat(ids(store.list(new BuildQuery(Optional.empty(), Optional.empty(), Optional.of("bob"), Optional.empty(),
                Optional.empty(), Optional.empty(), 10)))).containsExactly(b);
        assertThat(ids(store.list(new BuildQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(createdB), Optional.empty(), Optional.empty(), 10)))).containsExactly(c, b);
        assertThat(ids(store.list(new BuildQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(createdB), Optional.empty(), 10)))).containsExactly(a);
        assertThat(ids(store.list(new BuildQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(c), 10)))).containsExactly(b, a);
    }
    // ---- multi-platform builds: worker builds under an orchestrator (V7)

    @Test
    void workerBuildsAreBuildsOfTheirOwnListedUnderTheirParentOnly() throws StoreException {
        BuildId parent = newBuild("hello");
        BuildRecord amd = store.createWorker(parent, "x86_64", request("hello"), Map.of(), "{\"steps\":[]}");
        BuildRecord arm = store.createWorker(parent, "aarch64", request("hello"), Map.of(), "{\"steps\":[]}");
        store.transition(amd.id(), BuildState.RUNNING, Optional.empty());
        StepTiming build = new StepTiming("buildah_build", T0.plusSeconds(1), T0.plusSeconds(9), StepOutcome.SUCCEEDED);
        store.recordStep(amd.id(), build);
        store.recordOutput(amd.id(), output("x86_64", "sha256:111"));
        store.transition(amd.id(), BuildState.COMPLETE, Optional.empty());
        store.transition(arm.id(), BuildState.RUNNING, Optional.empty());
        Failure failure = new Failure("STEP_FAILED", "buildah_build: RUN exited 1");
        store.transition(arm.id(), BuildState.FAILED, Optional.of(failure));

        BuildRecord record = store.find(parent).orElseThrow();
        assertThat(record.parent()).isEmpty();
        assertThat(record.isOrchestrator()).isTrue();
        assertThat(record.workers()).extracting(w -> w.platform(), w -> w.state(), w -> w.id())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x86_64", BuildState.COMPLETE, amd.id()),
                        org.assertj.core.groups.Tuple.tuple("aarch64", BuildState.FAILED, arm.id()));
        assertThat(record.workers().get(0).steps()).containsExactly(build);
        assertThat(record.workers().get(0).outputs()).containsExactly(output("x86_64", "sha256:111"));
        assertThat(record.workers().get(1).failure()).contains(failure);
        assertThat(store.find(arm.id()).orElseThrow().parent()).contains(parent);
        assertThat(store.list(BuildQuery.all(10))).extracting(BuildSummary::id).containsExactly(parent);
    }

    @Test
    void aParentShowsTheNewestWorkerOfEachPlatform() throws StoreException {
        BuildId parent = newBuild("hello");
        BuildRecord first = store.createWorker(parent, "x86_64", request("hello"), Map.of(), "{}");
        store.transition(first.id(), BuildState.RUNNING, Optional.empty());
        store.transition(first.id(), BuildState.FAILED, Optional.of(new Failure("INTERRUPTED", "process died")));
        BuildRecord again = store.createWorker(parent, "x86_64", request("hello"), Map.of(), "{}");

        assertThat(store.find(parent).orElseThrow().workers()).extracting(w -> w.id()).containsExactly(again.id());
    }

    @Test
    void workersAreListedInTheRequestsPlatformOrderWhateverOrderTheyStartedIn() throws StoreException {
        // Workers start on parallel threads, so their records may be created in any order (a CI run
        // saw aarch64 first); the parent lists them in the order of its request, the index's order.
        BuildId parent = store.create(request("hello").toBuilder().platforms(List.of("x86_64", "aarch64", "s390x")).build(),
                Map.of(), "{}").id();
        BuildRecord s390x = store.createWorker(parent, "s390x", request("hello"), Map.of(), "{}");
        BuildRecord arm = store.createWorker(parent, "aarch64", request("hello"), Map.of(), "{}");
        BuildRecord amd = store.createWorker(parent, "x86_64", request("hello"), Map.of(), "{}");

        assertThat(store.find(parent).orElseThrow().workers()).extracting(w -> w.id())
                .containsExactly(amd.id(), arm.id(), s390x.id());
    }

    @Test
    void workerAttemptsListEveryRecordOfAPlatformNewestFirst() throws StoreException {
        // A second restart of a multi-platform build must find the pod the oldest record started.
        BuildId parent = newBuild("hello");
        BuildRecord first = store.createWorker(parent, "x86_64", request("hello"), Map.of(), "{}");
        BuildRecord arm = store.createWorker(parent, "aarch64", request("hello"), Map.of(), "{}");
        BuildRecord second = store.createWorker(parent, "x86_64", request("hello"), Map.of(), "{}");

        assertThat(store.workerAttempts(parent, "x86_64")).containsExactly(second.id(), first.id());
        assertThat(store.workerAttempts(parent, "aarch64")).containsExactly(arm.id());
        assertThat(store.workerAttempts(parent, "s390x")).isEmpty();
    }

    @Test
    void aWorkerOfAnUnknownParentIsRefused() {
        BuildId unknown = new BuildId("20261122-100000-abcdef");
        StoreException e = storeFailure(() -> store.createWorker(unknown, "x86_64", request("hello"), Map.of(), "{}"));
        assertThat(e.reason()).isEqualTo("BUILD_NOT_FOUND");
    }

    @Test
    void contentKeysFindCompletedBuildsAndTheRecordSaysWhereAReusedBuildCameFrom() throws StoreException {
        BuildAvoidanceRows rows = ((JdbcBuildStore) store).avoidance();
        BuildId built = newBuild("hello");
        BuildId running = newBuild("hello");
        BuildId reused = newBuild("hello");
        rows.recordKey(built, "sha256:k1");
        rows.recordKey(running, "sha256:k1");
        ImageOutput amd = output("x86_64", "sha256:1111");
        store.recordOutput(built, amd);
        store.recordOutput(built, output("aarch64", "sha256:2222"));
        store.recordOutput(running, output("x86_64", "sha256:3333"));
        assertThat(rows.completedWithKey("sha256:k1", "x86_64")).as("only completed builds count").isEmpty();
        store.transition(built, BuildState.RUNNING, Optional.empty());
        store.transition(built, BuildState.COMPLETE, Optional.empty());
        assertThat(rows.completedWithKey("sha256:k1", "x86_64")).as("with the image of the platform asked for")
                .containsExactly(new BuildAvoidanceRows.Candidate(built, amd, built));
        assertThat(rows.completedWithKey("sha256:k1", "s390x")).as("no image for that platform").isEmpty();
        assertThat(rows.completedWithKey("sha256:k2", "x86_64")).isEmpty();

        rows.recordReusedFrom(reused, built);
        rows.recordAutorebuildCause(reused, "base:1: sha256:a -> sha256:b");
        BuildRecord record = store.find(reused).orElseThrow();
        assertThat(record.reusedFrom()).contains(built);
        assertThat(record.configOnlyFrom()).isEmpty();
        assertThat(record.autorebuildCause()).contains("base:1: sha256:a -> sha256:b");
        assertThat(store.find(built).orElseThrow().contentKey()).contains("sha256:k1");
        assertThat(rows.autorebuildUnderway("hello")).as("the NEW autorebuild").isTrue();
        store.transition(reused, BuildState.FAILED, Optional.of(new Failure("X_Y", "failed")));
        assertThat(rows.autorebuildUnderway("hello")).isFalse();

        BuildId again = newBuild("hello");
        rows.recordConfigOnlyFrom(again, built);
        rows.recordKey(again, "sha256:k1");
        store.recordOutput(again, output("x86_64", "sha256:4444"));
        store.transition(again, BuildState.RUNNING, Optional.empty());
        store.transition(again, BuildState.COMPLETE, Optional.empty());
        assertThat(rows.completedWithKey("sha256:k1", "x86_64")).extracting(BuildAvoidanceRows.Candidate::build,
                        BuildAvoidanceRows.Candidate::layersFrom)
                .as("newest first; a build that took its layers from another names that one")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(again, built), org.assertj.core.groups.Tuple.tuple(built, built));
    }

    @Test
    void autorebuildPoliciesAreEnabledOnceListedAndDisabled() throws Exception {
        AutorebuildPolicies policies = ((JdbcBuildStore) store).autorebuilds();
        assertThat(policies.enable("hello", "main", Optional.of("alice"))).isTrue();
        assertThat(policies.enable("hello", "main", Optional.empty())).isFalse();
        assertThat(policies.enable("abc", "rhel-9", Optional.empty())).isTrue();
        assertThat(policies.list()).extracting(p -> p.component() + "@" + p.gitBranch() + "@" + p.enabledBy().orElse("-"))
                .containsExactly("abc@rhel-9@-", "hello@main@alice");
        assertThat(policies.disable("hello", "main")).isTrue();
        assertThat(policies.disable("hello", "main")).isFalse();
        assertThat(policies.list()).hasSize(1);
    }
}
