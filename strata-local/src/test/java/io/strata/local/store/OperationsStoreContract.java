package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.ConcurrencyLimits;
import io.strata.core.store.LeaseOwner;
import io.strata.core.store.QueueClaim;
import io.strata.core.store.QueueEntry;
import io.strata.core.store.QueuedBuild;
import io.strata.core.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's side of operating the service, on both databases: drains honoured by the claim,
 * queue counts, claims racing from several store handles (separate connection pools, as several
 * {@code strata serve} processes) within the limits, and pruning finished builds.
 */
abstract class OperationsStoreContract {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final LeaseOwner OWNER = new LeaseOwner("owner-1", "builder.example.com", 4242, Optional.empty());
    static final ConcurrencyLimits ROOMY = new ConcurrencyLimits(100, Map.of());

    /** An empty database for the current test. */
    protected abstract BuildStoreContract.Target emptyDatabase() throws Exception;

    private BuildStoreContract.Target target;
    private JdbcBuildStore store;
    /**
     * One clock for every handle a test opens, as the handles of one service share the machine's: with a
     * clock each, a build queued through one handle could be due only later than the test's handle
     * had got to, and its claim was refused (a failure seen once in CI, in the racing submitters' test).
     */
    private SteppingClock clock;

    @BeforeEach
    void openStore() throws Exception {
        target = emptyDatabase();
        clock = new SteppingClock(T0);
        store = open();
    }

    @AfterEach
    void closeStore() throws StoreException {
        store.close();
    }

    private JdbcBuildStore open() throws StoreException {
        return BuildStores.open(target.url(), target.user(), target.password(), clock);
    }

    private BuildId queued(JdbcBuildStore on, String engine, String platform) throws StoreException {
        BuildRequest request = BuildStoreContract.request("hello");
        BuildId id = on.create(request, Map.of(), "{}").id();
        on.enqueue(id, new QueueEntry(engine, platform, 0, 3));
        return id;
    }

    @Test
    void aDrainedEngineOrPlatformClaimsNothingUntilUndrainedAndEveryStoreHandleSeesIt() throws StoreException {
        BuildId x86 = queued(store, "dry-run", "x86_64");
        BuildId arm = queued(store, "dry-run", "aarch64");

        assertThat(store.drain(QueueDrain.ENGINE, "dry-run", "alice")).isTrue();
        assertThat(store.drain(QueueDrain.ENGINE, "dry-run", "bob")).as("drained already").isFalse();
        try (JdbcBuildStore other = open()) {
            assertThat(other.isDrained("dry-run", "x86_64")).isTrue();
            assertThat(other.claim(x86, OWNER, "/w", ROOMY)).as("another member honours the drain").isEmpty();
        }
        assertThat(store.drains()).singleElement().satisfies(d -> {
            assertThat(d.scope()).isEqualTo("engine");
            assertThat(d.name()).isEqualTo("dry-run");
            assertThat(d.drainedBy()).isEqualTo("alice");
        });
        assertThat(store.find(x86).orElseThrow().state()).isEqualTo(BuildState.PENDING);

        assertThat(store.undrain(QueueDrain.ENGINE, "dry-run")).isTrue();
        assertThat(store.undrain(QueueDrain.ENGINE, "dry-run")).isFalse();
        store.drain(QueueDrain.PLATFORM, "x86_64", "alice");
        assertThat(store.claim(x86, OWNER, "/w", ROOMY)).as("its platform is drained").isEmpty();
        assertThat(store.claim(arm, OWNER, "/w", ROOMY)).as("another platform runs").isPresent();
        assertThat(store.isDrained("local", "aarch64")).isFalse();
        store.undrain(QueueDrain.PLATFORM, "x86_64");
        assertThat(store.claim(x86, OWNER, "/w", ROOMY)).isPresent();
    }

    @Test
    void aDrainDoesNotStopARunningBuildFromEnding() throws StoreException {
        BuildId id = queued(store, "dry-run", "x86_64");
        QueueClaim claim = store.claim(id, OWNER, "/w", ROOMY).orElseThrow();
        store.drain(QueueDrain.ENGINE, "dry-run", "alice");

        assertThat(store.finishClaim(id, claim.fencingToken(), BuildState.COMPLETE, Optional.empty())).isTrue();
        assertThat(store.queueCounts()).isEmpty();
    }

    @Test
    void queueCountsArePerEngineAndPlatform() throws StoreException {
        BuildId running = queued(store, "dry-run", "x86_64");
        queued(store, "dry-run", "x86_64");
        queued(store, "dry-run", "aarch64");
        queued(store, "local", "x86_64");
        store.claim(running, OWNER, "/w", ROOMY).orElseThrow();

        assertThat(store.queueCounts()).containsExactly(
                new QueueCount("dry-run", "aarch64", 1, 0),
                new QueueCount("dry-run", "x86_64", 1, 1),
                new QueueCount("local", "x86_64", 1, 0));
        assertThat(store.pendingCount()).isEqualTo(3);
    }

    /**
     * Four store handles (four pools, as four servers) claim and finish 60 builds at once. Whenever a
     * claimer looks, the store holds at most the engine's 3 and the platform's 2 RUNNING builds, and
     * every build ran exactly once.
     */
    @Test
    void racingClaimersOfSeveralHandlesKeepTheLimitsAndRunEachBuildOnce() throws Exception {
        List<BuildId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(queued(store, "dry-run", i % 2 == 0 ? "x86_64" : "aarch64"));
        }
        for (int i = 0; i < 20; i++) {
            ids.add(queued(store, "dry-run", "s390x"));
        }
        var limits = new ConcurrencyLimits(3, Map.of("x86_64", 2));
        ConcurrentLinkedQueue<BuildId> ran = new ConcurrentLinkedQueue<>();
        AtomicInteger worstEngine = new AtomicInteger();
        AtomicInteger worstPlatform = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> claimers = new ArrayList<>();
        // Opened one after another: the embedded store's migration lock is a file lock of the JVM.
        List<JdbcBuildStore> handles = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            handles.add(open());
        }
        for (JdbcBuildStore opened : handles) {
            claimers.add(pool.submit(() -> {
                try (JdbcBuildStore handle = opened) {
                    start.await();
                    while (ran.size() < ids.size()) {
                        for (BuildId id : ids) {
                            Optional<QueueClaim> claim = handle.claim(id, OWNER, "/w/" + id, limits);
                            if (claim.isEmpty()) {
                                continue;
                            }
                            ran.add(id);
                            List<QueueCount> counts = handle.queueCounts();
                            worstEngine.accumulateAndGet(counts.stream().mapToInt(QueueCount::running).sum(), Math::max);
                            worstPlatform.accumulateAndGet(counts.stream().filter(c -> c.platform().equals("x86_64"))
                                    .mapToInt(QueueCount::running).sum(), Math::max);
                            handle.finishClaim(id, claim.get().fencingToken(), BuildState.COMPLETE, Optional.empty());
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> claimer : claimers) {
            claimer.get();
        }
        pool.shutdown();

        assertThat(ran).hasSize(ids.size()).doesNotHaveDuplicates();
        assertThat(worstEngine.get()).isBetween(1, 3);
        assertThat(worstPlatform.get()).isBetween(1, 2);
        assertThat(store.queue()).isEmpty();
        for (BuildId id : ids) {
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(BuildState.COMPLETE);
        }
    }

    /**
     * Admission over a fleet: four store handles (four servers) with three submitters each try 120
     * builds at once against a bound of 25 waiting builds. Exactly 25 are stored, every other
     * attempt is refused with QUEUE_FULL and leaves nothing behind; a claim makes room for one more.
     */
    @Test
    void racingSubmittersOfSeveralHandlesNeverPassTheBoundOfWaitingBuilds() throws Exception {
        int bound = 25;
        ConcurrentLinkedQueue<BuildId> admitted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<BuildId> refused = new ConcurrentLinkedQueue<>();
        List<JdbcBuildStore> handles = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            handles.add(open());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> submitters = new ArrayList<>();
        try {
            for (int t = 0; t < 12; t++) {
                JdbcBuildStore handle = handles.get(t % handles.size());
                submitters.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        BuildId id = BuildId.next(java.time.Clock.systemUTC());
                        try {
                            handle.createQueued(id, BuildStoreContract.request("hello"), Map.of(), "{}",
                                    new QueueEntry("dry-run", "x86_64", 0, 3), bound);
                            admitted.add(id);
                        } catch (StoreException e) {
                            assertThat(e.reason()).isEqualTo("QUEUE_FULL");
                            assertThat(e.getMessage()).contains("strata_queue_max_pending = 25");
                            refused.add(id);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> submitter : submitters) {
                submitter.get();
            }
        } finally {
            pool.shutdown();
            for (JdbcBuildStore handle : handles) {
                handle.close();
            }
        }

        assertThat(admitted).hasSize(bound);
        assertThat(refused).hasSize(120 - bound);
        assertThat(store.pendingCount()).isEqualTo(bound);
        assertThat(store.queue()).extracting(QueuedBuild::id).containsExactlyInAnyOrderElementsOf(admitted);
        for (BuildId id : refused) {
            assertThat(store.find(id)).isEmpty();
        }
        // A claimed build no longer waits: room for exactly one more.
        store.claim(admitted.peek(), OWNER, "/w", ROOMY).orElseThrow();
        store.createQueued(BuildId.next(java.time.Clock.systemUTC()), BuildStoreContract.request("more"), Map.of(), "{}",
                new QueueEntry("dry-run", "x86_64", 0, 3), bound);
        assertThatThrownBy(() -> store.createQueued(BuildId.next(java.time.Clock.systemUTC()),
                BuildStoreContract.request("too many"), Map.of(), "{}", new QueueEntry("dry-run", "x86_64", 0, 3), bound))
                .isInstanceOf(StoreException.class).hasMessageContaining("25 builds wait");
    }

    /** The recorder's burst: log lines and step timings in one transaction, all or nothing. */
    @Test
    void logLinesAndStepsAreRecordedTogetherOrNotAtAll() throws StoreException {
        BuildId id = store.create(BuildStoreContract.request("hello"), Map.of(), "{}").id();
        var step = new io.strata.core.build.StepTiming("check_out_source", T0, T0.plusSeconds(1),
                io.strata.core.build.StepOutcome.SUCCEEDED);
        AtomicInteger writes = new AtomicInteger();
        store.observeLatency((write, nanos, failed) -> {
            if (write) {
                writes.incrementAndGet();
            }
        });

        store.record(id, List.of(new LogLine(1, T0, "check_out_source", "one"), new LogLine(2, T0, "check_out_source", "two")),
                List.of(step, new io.strata.core.build.StepTiming("pin_base_images", T0, T0, io.strata.core.build.StepOutcome.SKIPPED)));
        assertThat(writes.get()).as("one transaction").isEqualTo(1);
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(StoreException.class,
                () -> store.record(id, List.of(new LogLine(4, T0, "x", "a gap")), List.of(step)));

        assertThat(refused.reason()).isEqualTo("LOG_OUT_OF_SEQUENCE");
        var record = store.find(id).orElseThrow();
        assertThat(record.steps()).extracting(io.strata.core.build.StepTiming::step)
                .containsExactly("check_out_source", "pin_base_images");
        assertThat(store.logs(id, 0, 10)).extracting(LogLine::text).containsExactly("one", "two");
    }

    @Test
    void pruningRemovesOldFinishedBuildsWithTheirLogButKeepsYoungAndUnfinishedOnesAndReleases() throws StoreException {
        BuildId old = store.create(BuildStoreContract.request("hello"), Map.of(), "{}").id();
        store.transition(old, BuildState.RUNNING, Optional.empty());
        store.appendLog(old, List.of(new LogLine(1, T0, "build", "héllo"), new LogLine(2, T0, "build", "world")));
        assertThat(store.reserveReleaseFor(old, "hello", "1.0")).isEqualTo(1);
        store.transition(old, BuildState.COMPLETE, Optional.empty());
        BuildId waiting = queued(store, "dry-run", "x86_64");
        Instant cutoff = store.find(waiting).orElseThrow().createdAt();
        BuildId young = store.create(BuildStoreContract.request("hello"), Map.of(), "{}").id();
        store.transition(young, BuildState.CANCELLED, Optional.empty());

        PrunedRecords pruned = store.prune(cutoff, 10);

        assertThat(pruned.builds()).containsExactly(old);
        assertThat(pruned.logLines()).isEqualTo(2);
        assertThat(pruned.logBytes()).as("bytes of UTF-8, not characters").isEqualTo(6 + 5);
        assertThat(store.find(old)).isEmpty();
        assertThat(store.find(waiting)).isPresent();
        assertThat(store.find(young)).isPresent();
        assertThat(store.reserveNextRelease("hello", "1.0")).as("the pruned build's release stays taken").isEqualTo(2);
        assertThat(store.prune(cutoff, 10).builds()).isEmpty();
        assertThat(store.prune(Instant.parse("2100-01-01T00:00:00Z"), 10).builds()).containsExactly(young);
    }
}
