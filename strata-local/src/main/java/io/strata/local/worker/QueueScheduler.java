package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.config.Configuration;
import io.strata.core.config.PlatformConfig;
import io.strata.core.build.LogLine;
import io.strata.core.engine.Engine;
import io.strata.core.engine.RecordedLog;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.EventBus;
import io.strata.core.store.BuildStore;
import io.strata.core.store.ConcurrencyLimits;
import io.strata.core.store.QueueClaim;
import io.strata.core.store.QueuedBuild;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the queue of one engine in this process: claims due PENDING builds (highest priority first,
 * then the oldest) as long as the engine's and the platforms' concurrency limits allow, and runs
 * each on a virtual thread of its own under the claim's lease. A transient failure puts the build
 * back in the queue with exponential backoff until its attempts are used up; cancel-build reaches
 * the worker through the lease; a worker running longer than its limit is cancelled (FAILED
 * BUILD_TIMED_OUT). Any number of schedulers may share a store: the store's claim lets exactly one
 * run a build, and its fencing token keeps an outdated one from ending it. On start, and every
 * {@link Settings#reconcileEvery()}, builds of dead processes are reconciled: queued ones resume.
 */
public final class QueueScheduler implements AutoCloseable {

    /**
     * @param limits       concurrency per engine and per platform
     * @param timeout      a worker build running longer is cancelled (worker_max_run_hours)
     * @param firstBackoff wait before the first retry; doubles with each further one, at most 5 minutes
     * @param poll         how often the queue is looked at when nobody wakes the scheduler
     */
    public record Settings(ConcurrencyLimits limits, Duration timeout, Duration firstBackoff, Duration poll,
            Duration reconcileEvery) {
        static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

        public static Settings from(Configuration config) {
            Map<String, Integer> platforms = new HashMap<>();
            for (PlatformConfig platform : config.platforms().values()) {
                platform.maxConcurrentBuilds().ifPresent(max -> platforms.put(platform.name(), max));
            }
            return new Settings(new ConcurrencyLimits(config.strata().concurrency(), platforms),
                    Duration.ofHours(config.workerMaxRunHours()), Duration.ofSeconds(5), Duration.ofMillis(500),
                    Duration.ofSeconds(15));
        }

        Duration backoff(int attempt) {
            Duration wait = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 16));
            return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
        }
    }

    private final BuildStore store;
    private final Engine engine;
    private final SecretVault vault;
    private final Path workspaceRoot;
    private final Settings settings;
    private final Clock clock;
    private final PrintStream diagnostics;
    private final OrphanedBuilds orphans;
    private final Semaphore wake = new Semaphore(0);
    private volatile BuildEnds ends = BuildEnds.NOBODY;
    private final Map<BuildId, Thread> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private Thread loop;
    private Instant lastReconcile = Instant.MIN;

    public QueueScheduler(BuildStore store, Engine engine, SecretVault vault, Path workspaceRoot, Settings settings,
            Clock clock, PrintStream diagnostics, OrphanedBuilds orphans) {
        this.store = store;
        this.engine = engine;
        this.vault = vault;
        this.workspaceRoot = workspaceRoot;
        this.settings = settings;
        this.clock = clock;
        this.diagnostics = diagnostics;
        this.orphans = orphans;
    }

    /** Reconciles what dead processes left (their queued builds resume), then starts claiming. */
    public synchronized void start() throws StrataException {
        if (loop != null) {
            return;
        }
        reconcile();
        loop = Thread.ofVirtual().name("strata-scheduler-" + engine.name()).start(this::loop);
    }

    /**
     * Told when an attempt of this scheduler ends a build (the service's metrics): its engine and
     * platform, final state, failure and how long the attempt ran. Requeued attempts are not ends.
     */
    @FunctionalInterface
    public interface BuildEnds {
        BuildEnds NOBODY = (entry, state, failure, ran) -> { };

        void ended(io.strata.core.store.QueueEntry entry, BuildState state, java.util.Optional<Failure> failure, Duration ran);
    }

    /** Who to tell when a build this scheduler ran ends. */
    public void onBuildEnd(BuildEnds listener) {
        this.ends = listener;
    }

    /** A build was submitted or cancelled: look at the queue now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    /** Builds this scheduler runs right now. */
    public int runningHere() {
        return running.size();
    }

    private void loop() {
        while (!stopping) {
            try {
                if (Duration.between(lastReconcile, clock.instant()).compareTo(settings.reconcileEvery()) >= 0) {
                    reconcile();
                }
                claimDue();
            } catch (StrataException | RuntimeException e) {
                diagnostics.println("strata: warning: the scheduler could not read the queue: " + e.getMessage()
                        + "; trying again");
            }
            try {
                wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void reconcile() throws StrataException {
        lastReconcile = clock.instant();
        orphans.reconcile();
    }

    private void claimDue() throws StrataException {
        Instant now = clock.instant();
        // Only what could be claimed: builds being claimed still read PENDING, hence the whole limit.
        List<QueuedBuild> queue = store.due(engine.name(), now, settings.limits().perEngine());
        for (QueuedBuild queued : queue) {
            if (stopping || running.size() >= settings.limits().perEngine()) {
                // This process fills the engine's limit with builds running or being claimed (so a
                // pass tries at most that many claims when the fleet fills the limits or the rest is
                // drained). The next wake or poll looks again.
                return;
            }
            if (!queued.entry().engine().equals(engine.name()) || !queued.isDue(now) || running.containsKey(queued.id())) {
                continue;
            }
            String workspace = workspaceRoot.resolve(queued.id().value()).toString();
            // Claimed on the build's own thread: the claims of a pass then share the store's group commit.
            Thread build = Thread.ofVirtual().name("strata-build-" + queued.id()).unstarted(() -> claimAndRun(queued, workspace));
            // Registered before it starts: a build that ends at once must not leave a stale entry.
            running.put(queued.id(), build);
            build.start();
        }
    }

    private void claimAndRun(QueuedBuild queued, String workspace) {
        java.util.Optional<QueueClaim> claim;
        try {
            claim = store.claim(queued.id(), ThisProcess.OWNER, workspace, settings.limits());
        } catch (StrataException | RuntimeException e) {
            if (!stopping) {
                diagnostics.println("strata: warning: the scheduler could not claim build " + queued.id() + ": "
                        + e.getMessage() + "; trying again");
            }
            claim = java.util.Optional.empty();
        }
        if (claim.isEmpty()) {
            running.remove(queued.id());
            return;
        }
        runClaimed(queued, claim.get());
    }

    private void runClaimed(QueuedBuild queued, QueueClaim claim) {
        BuildId id = claim.id();
        try {
            Instant startedAt = clock.instant();
            LeaseKeeper lease = LeaseKeeper.keep(store, id, diagnostics);
            WorkerResult result;
            try {
                // Stopping (and no cancel asked for): a worker that can outlive this process is left running.
                result = attempt(queued, claim, () -> stopping && !lease.cancelRequested());
            } finally {
                lease.close();
            }
            // Interrupts from here on (a cancel seen late, the service stopping) must not hit the store writes.
            Thread.interrupted();
            if (!lease.lost()) {
                settle(queued, claim, result, lease.cancelRequested(), startedAt);
            }
        } catch (StrataException | RuntimeException e) {
            // The store refused the end: the lease is no longer renewed, so a later reconcile resumes or ends the build.
            diagnostics.println("strata: warning: build " + id + " could not be ended: " + e.getMessage()
                    + (e instanceof StrataException s ? " [" + s.reason() + "]" : ""));
        } finally {
            running.remove(id);
            wake();
        }
    }

    /**
     * Runs one attempt and always answers: whatever fails before the worker answers (the build's
     * credentials unreadable, the engine refusing the spec, a bug) is the attempt's failure, so a
     * claimed build never stays RUNNING under the lease of a process that goes on living.
     */
    private WorkerResult attempt(QueuedBuild queued, QueueClaim claim, java.util.function.BooleanSupplier leaving) {
        BuildId id = claim.id();
        try {
            // The claim carries the stored request and plan: no second read of the record.
            WorkerSpec spec = new WorkerSpec(id, vault.restore(id, claim.request()), claim.planJson(),
                    queued.entry().platform(), claim.attempt(), claim.logEnd());
            EventBus bus = new EventBus((listener, event, error) ->
                    diagnostics.println("strata: warning: a build listener failed: " + error));
            try (StoreRecorder recorder = new StoreRecorder(store, diagnostics)) {
                bus.subscribe(recorder);
                // A build that ran before may still have its worker (a pod outliving the service): follow that one.
                Optional<RecordedLog> resumed = claim.attempt() > 1 ? Optional.of(recordedLog(id)) : Optional.empty();
                return WorkerAttempt.run(engine, spec, resumed, bus, settings.timeout(), leaving);
            }
        } catch (StrataException e) {
            return WorkerResult.failed(new Failure(e.reason(), e.getMessage(), e.hint()),
                    LocalEngine.TRANSIENT_REASONS.contains(e.reason()));
        } catch (RuntimeException e) {
            return WorkerResult.failed(new Failure("BUILD_CRASHED", "the build crashed: " + e,
                    "this is a bug in Strata; please report it with the service's output"), false);
        }
    }

    /** The worker's lines of the build's record after a sequence: every line but the queue's own notes. */
    private RecordedLog recordedLog(BuildId id) {
        return after -> {
            long count = 0;
            for (long from = after; ; ) {
                List<LogLine> page = store.logs(id, from, LOG_PAGE);
                count += page.stream().filter(line -> !line.step().equals(JdbcBuildStore.QUEUE_LOG_STEP)).count();
                if (page.size() < LOG_PAGE) {
                    return count;
                }
                from = page.getLast().sequence();
            }
        };
    }

    private static final int LOG_PAGE = 5000;

    /** Ends the attempt: the build's final state, or back into the queue for another attempt. */
    private void settle(QueuedBuild queued, QueueClaim claim, WorkerResult result, boolean cancelRequested,
            Instant startedAt) throws StrataException {
        BuildId id = claim.id();
        int max = queued.entry().maxAttempts();
        if (stopping && result.state() == BuildState.CANCELLED && !cancelRequested) {
            store.requeue(id, claim.fencingToken(), clock.instant(), "the service stopped while the build ran (attempt "
                    + claim.attempt() + " of " + max + "); it resumes when the service runs again");
            return;
        }
        if (result.state() == BuildState.FAILED && result.transientFailure() && claim.attempt() < max) {
            Duration wait = settings.backoff(claim.attempt());
            var failure = result.failure().orElseThrow();
            store.requeue(id, claim.fencingToken(), clock.instant().plus(wait), "attempt " + claim.attempt() + " of " + max
                    + " failed: " + failure.message() + " [" + failure.reason() + "]; trying again in " + wait.toSeconds() + " s");
            return;
        }
        if (store.finishClaim(id, claim.fencingToken(), result.state(), result.failure())) {
            vault.forget(id);
            ends.ended(queued.entry(), result.state(), result.failure(), Duration.between(startedAt, clock.instant()));
        }
    }

    /** Stops claiming; running builds are stopped and put back in the queue, to resume on the next start. */
    @Override
    public void close() {
        stopping = true;
        wake();
        Thread started;
        synchronized (this) {
            started = loop;
        }
        if (started != null) {
            Threads.joinUninterruptibly(started);
        }
        List<Thread> builds = List.copyOf(running.values());
        builds.forEach(Thread::interrupt);
        builds.forEach(Threads::joinUninterruptibly);
    }
}
