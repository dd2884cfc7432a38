package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.LogLine;
import io.strata.core.config.Configuration;
import io.strata.core.engine.Engine;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.event.EventBus;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.core.request.BuildRequestValidator;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildPage;
import io.strata.core.service.BuildService;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.service.LogSink;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.core.service.StateSink;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import io.strata.core.store.QueueEntry;
import io.strata.core.store.StoreException;
import io.strata.registry.Platform;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The build service of this machine's store ({@link BuildService}): submit puts a build into the
 * durable queue for the configured engine, where a {@link QueueScheduler} (of this process or any
 * other sharing the store) claims and runs it; list, get, follow and cancel read and write the
 * store, so they work from any process. A `strata build` without a server uses
 * {@link #submit(BuildRequest, Configuration, Plan)} and {@link #run} instead: the build runs at
 * once, in the calling process, without waiting in the queue (NEW, RUNNING, then its end).
 *
 * <p>Either way a build runs through an {@link Engine} under a lease, its events recorded in the
 * store, its request stored without credentials. Nothing is stored for a request that does not validate.
 */
public final class LocalBuildService implements BuildService {
    /**
     * How often followers look at the store for news at the latest: a write this process commits
     * wakes them at once (writes by another process sharing the store are seen at the next look).
     */
    static final Duration FOLLOW_POLL = Duration.ofMillis(250);
    /**
     * The shortest time between two looks of one follower of a log: a busy build writes its log many times a
     * second, and each write would otherwise make every follower read the log again. A follower of states
     * needs none: after a write it reads only the count of state changes.
     */
    static final Duration FOLLOW_GAP = Duration.ofMillis(20);
    private static final int LOG_PAGE = 1000;

    private final BuildStore store;
    private final Optional<Engine> engine;
    private final Configuration config;
    private final SecretVault vault;
    private final Path workspaceRoot;
    private final Clock clock;
    private final PrintStream diagnostics;
    private final OrphanedBuilds orphans;
    private volatile Runnable queueChanged = () -> { };
    /** The configuration as stored with each build: it does not change, so it is masked once. */
    private final java.util.Map<String, String> redactedConfig;
    private final RenderedPlans plans = new RenderedPlans();
    /**
     * strata_queue_max_pending: the store refuses a submission beyond it (QUEUE_FULL), counting and
     * inserting in one step, so the bound holds over every process sharing the store.
     */
    private final int maxPending;

    /**
     * @param engine  empty for a service opened to read and cancel records only (it submits and runs nothing)
     * @param orphans ends (or resumes) builds whose process died, also while a follower waits for one
     */
    public LocalBuildService(BuildStore store, Optional<Engine> engine, Configuration config, SecretVault vault,
            Path workspaceRoot, Clock clock, PrintStream diagnostics, OrphanedBuilds orphans) {
        this.store = store;
        this.engine = engine;
        this.config = config;
        this.vault = vault;
        this.workspaceRoot = workspaceRoot;
        this.clock = clock;
        this.diagnostics = diagnostics;
        this.orphans = orphans;
        this.redactedConfig = config.redacted();
        // The loader checked it is a positive integer.
        this.maxPending = Integer.parseInt(config.raw(io.strata.core.config.ConfigKey.STRATA_QUEUE_MAX_PENDING.key())
                .or(io.strata.core.config.ConfigKey.STRATA_QUEUE_MAX_PENDING::defaultValue).orElseThrow().strip());
    }

    /** Who to tell when a build enters or leaves the queue (the scheduler of this process). */
    void onQueueChange(Runnable listener) {
        this.queueChanged = listener;
    }

    /** The engine builds run on; ENGINE_NOT_AVAILABLE for a service opened for records only. */
    public Engine engine() throws StrataException {
        return engine.orElseThrow(() -> new ServiceException(ServiceReasons.ENGINE_NOT_AVAILABLE,
                "this build service was opened to read and cancel builds, not to run them",
                "open it with LocalServices.open (a bug in the caller)"));
    }

    // ---- a build run at once by the calling process (strata build, strata demo)

    /** A request fitted to the engine, with its plan; made before anything is opened or stored. */
    public record PreparedBuild(BuildRequest request, Plan plan) {}

    /**
     * Fits the request to the configured engine (no platforms asked means this machine's) and
     * renders its worker plan. Several platforms make a multi-platform build (docs/builds.md).
     */
    public static PreparedBuild prepare(BuildSubmission submission, Configuration config) throws StrataException {
        BuildRequest request = forThisMachine(submission.request());
        requireKnownPlatforms(request, config);
        Plan plan = PlanRenderer.render("worker", config.arrangementVersion(), submission.customize(),
                PlanOverrides.from(request, config));
        // Submitting writes the plan as JSON: its first writing is done while the command opens its store.
        plan.warmUpJson();
        return new PreparedBuild(request, plan);
    }

    /**
     * A platform Strata has no architecture for (neither one of its own nor an osbs.conf
     * {@code [platform:NAME]} with {@code architecture}) is refused before anything is opened.
     */
    static void requireKnownPlatforms(BuildRequest request, Configuration config) throws StrataException {
        for (String platform : request.platforms()) {
            boolean configured = Optional.ofNullable(config.platforms().get(platform))
                    .flatMap(section -> section.architecture()).isPresent();
            if (!configured && !Platform.kojiArches().contains(platform)) {
                throw new StrataException(io.strata.core.request.ReasonCode.UNKNOWN_PLATFORM.name(),
                        "platform '" + platform + "' has no known architecture",
                        "ask for one of " + Platform.kojiArches() + ", or give it an architecture in a [platform:"
                                + platform + "] section of osbs.conf");
            }
        }
    }

    /** No platforms asked: this machine's. Whether the engine can build the others is checked on submit. */
    static BuildRequest forThisMachine(BuildRequest request) {
        if (request.platforms().isEmpty()) {
            return request.toBuilder().platforms(List.of(Platform.current().kojiArch())).build();
        }
        return request;
    }

    /**
     * Validates the request against the configuration and stores it as a NEW build with its plan.
     * Request and configuration are stored without credentials.
     */
    public SubmittedBuild submit(BuildRequest given, Configuration config, Plan plan) throws StrataException {
        BuildRequestValidator.requireValid(given, config);
        BuildRequest request = withPolicyInEffect(given, config);
        checkRunnable(plan, request);
        return new SubmittedBuild(store.create(request.withoutCredentials(), config.redacted(), plan.toJson()), request);
    }

    /**
     * Runs a submitted (stored, NEW) build to its end in this process, telling {@code view}
     * everything that happens. An interrupt of the calling thread (Ctrl-C) or a cancel-build from
     * another process ends it CANCELLED.
     *
     * @return the final record (COMPLETE, FAILED or CANCELLED)
     */
    public BuildRecord run(SubmittedBuild submitted, BuildListener view) throws StrataException {
        BuildId id = submitted.record().id();
        EventBus bus = new EventBus((listener, event, error) ->
                diagnostics.println("strata: warning: a build listener failed: " + error));
        bus.subscribe(view);
        WorkerResult result;
        // The lease says this process runs the build (docs/store.md, Leases); it is taken before
        // RUNNING, so no running build is without one, and renewed until the build is over.
        LeaseKeeper lease = LeaseKeeper.take(store, id, workspaceRoot.resolve(id.value()), diagnostics);
        try {
            moveTo(bus, id, BuildState.RUNNING, Optional.empty());
            // The recorder is closed (everything written) before the final state is: whoever sees the
            // build finished in the store also sees all of its log, timings and outputs.
            try (StoreRecorder recorder = new StoreRecorder(store, diagnostics)) {
                bus.subscribe(recorder);
                WorkerSpec spec = new WorkerSpec(id, submitted.request(), submitted.record().planJson(),
                        submitted.request().platforms().isEmpty() ? Platform.current().kojiArch()
                                : submitted.request().platforms().getFirst(), 1, 0);
                // A multi-platform build's orchestrator has its own, longer limit (its workers each have the worker's).
                result = WorkerAttempt.run(engine(), spec, bus, Duration.ofHours(submitted.request().platforms().size() > 1
                        ? config.orchestratorMaxRunHours() : config.workerMaxRunHours()));
            }
        } finally {
            lease.close();
        }
        return finish(bus, id, result, lease);
    }

    /**
     * Stores the outcome, unless another process already ended the build (it found this process
     * gone, e.g. after a long suspend): its record stands. A cancel request that arrived after the
     * build was over must not disturb storing its result, so the interrupt it caused is cleared.
     */
    private BuildRecord finish(EventBus bus, BuildId id, WorkerResult result, LeaseKeeper lease) throws StoreException {
        if (lease.cancelRequested() && result.state() != BuildState.CANCELLED) {
            Thread.interrupted();
        }
        if (!lease.lost()) {
            moveTo(bus, id, result.state(), result.failure());
        }
        return store.find(id).orElseThrow();
    }

    private void moveTo(BuildListener bus, BuildId id, BuildState state, Optional<Failure> failure) throws StoreException {
        store.transition(id, state, failure);
        bus.on(new BuildEvent.StateChanged(id, clock.instant(), state, failure));
    }

    /** The record says which network policy the build gets, also when the request left it to the configuration. */
    private static BuildRequest withPolicyInEffect(BuildRequest request, Configuration config) {
        return request.withNetworkPolicyOr(io.strata.core.request.NetworkPolicy.byName(config.buildNetwork())
                .orElse(io.strata.core.request.NetworkPolicy.NONE));
    }

    /**
     * Refuses, before anything is stored, a plan the engine cannot run and a platform no engine can
     * build (the local engine: neither this machine's nor an emulated one).
     */
    private void checkRunnable(Plan plan, BuildRequest request) throws StrataException {
        Engine runs = engine() instanceof OrchestratingEngine orchestrating ? orchestrating.workerEngine() : engine();
        if (runs instanceof LocalEngine local) {
            local.checkRunnable(plan);
        } else if (runs instanceof AvoidingEngine avoiding) {
            avoiding.checkRunnable(plan);
        }
        for (String platform : request.platforms()) {
            engine().checkPlatform(platform);
        }
    }

    // ---- the service: the queue and the records

    @Override
    public BuildRecord submit(BuildSubmission submission, Caller caller) throws StrataException {
        BuildRequest asked = submission.request();
        // The build belongs to the caller; only an admin submits on someone else's behalf.
        BuildRequest owned = caller.admin() && asked.user() != null ? asked : asked.toBuilder().user(caller.user()).build();
        BuildRequest fitted = forThisMachine(owned);
        requireKnownPlatforms(fitted, config);
        RenderedPlans.Rendered plan = plans.render(config.arrangementVersion(), submission.customize(),
                PlanOverrides.from(fitted, config));
        BuildRequestValidator.requireValid(fitted, config);
        BuildRequest request = withPolicyInEffect(fitted, config);
        checkRunnable(plan.plan(), request);
        // The id is picked here so that the credentials are kept before the build can be claimed:
        // created and queued in one write, it is claimable as soon as that commits.
        BuildId id = BuildId.next(clock);
        BuildRequest stored = request.withoutCredentials();
        try {
            if (!stored.equals(request)) {
                vault.keep(id, request);
            }
        } catch (StrataException e) {
            // The build is stored FAILED with the reason, under the id the message names, so the
            // submitter can look it up.
            store.create(id, stored, redactedConfig, plan.json());
            store.transition(id, BuildState.FAILED, Optional.of(new Failure(e.reason(), e.getMessage(), e.hint())));
            throw e;
        }
        BuildRecord record;
        try {
            record = store.createQueued(id, stored, redactedConfig, plan.json(),
                    new QueueEntry(engine().name(), request.platforms().getFirst(), request.priority(),
                            config.buildAttempts()), maxPending);
        } catch (StrataException | RuntimeException e) {
            vault.forget(id);
            throw e;
        }
        queueChanged.run();
        return record;
    }

    @Override
    public BuildPage list(BuildListQuery query, Caller caller) throws StrataException {
        if (query.limit() < 1 || query.limit() > BuildListQuery.MAX_LIMIT) {
            throw new ServiceException(ServiceReasons.PAGE_LIMIT_INVALID, "a page holds 1 to " + BuildListQuery.MAX_LIMIT
                    + " builds, not " + query.limit(), "ask for a limit between 1 and " + BuildListQuery.MAX_LIMIT);
        }
        Optional<BuildId> after = Optional.empty();
        if (query.cursor().isPresent()) {
            String cursor = query.cursor().get();
            if (!BuildId.isValid(cursor) || store.find(new BuildId(cursor)).isEmpty()) {
                throw new ServiceException(ServiceReasons.PAGE_CURSOR_INVALID, "'" + cursor + "' is not a cursor of this service",
                        "pass the next_cursor of the previous page as it was, or leave the cursor out for the first page");
            }
            after = Optional.of(new BuildId(cursor));
        }
        // A user sees their own builds only, whatever they filter by.
        Optional<String> user = caller.admin() ? query.user() : Optional.of(caller.user());
        List<BuildSummary> rows = store.list(new BuildQuery(query.component(), query.state(), user, query.createdAfter(),
                query.createdBefore(), after, query.limit() + 1));
        if (rows.size() <= query.limit()) {
            return new BuildPage(rows, Optional.empty());
        }
        List<BuildSummary> page = rows.subList(0, query.limit());
        return new BuildPage(page, Optional.of(page.getLast().id().value()));
    }

    @Override
    public BuildRecord get(BuildId id, Caller caller) throws StrataException {
        BuildRecord record = store.find(id).orElseThrow(() -> new ServiceException(ServiceReasons.BUILD_NOT_FOUND,
                "no build " + id + " in the store", "list builds with `strata list-builds`"));
        if (!caller.mayAccess(record.request().user())) {
            throw new ServiceException(ServiceReasons.NOT_YOUR_BUILD, "build " + id + " was submitted by another user",
                    "ask its submitter or an admin; `strata list-builds` shows your own builds");
        }
        return record;
    }

    @Override
    public List<LogLine> logs(BuildId id, long afterSequence, int limit, Caller caller) throws StrataException {
        get(id, caller);
        return store.logs(id, afterSequence, limit);
    }

    @Override
    public BuildRecord followStates(BuildId id, int afterTransitions, Caller caller, StateSink sink)
            throws StrataException, InterruptedException {
        int shown = Math.max(0, afterTransitions);
        boolean read = false;
        while (true) {
            // Taken before the look: a write committed after it wakes the wait below at once.
            long seen = store.writesSoFar();
            // Most writes during a build are its log: after each, only the count of state changes is read (one small
            // query), and the record (which also checks the caller may see it) only the first time and when the count
            // grew. So the wait needs no gap either, and the build's end is seen as it is written: a gap between two
            // reads of the record had held a follower back up to 20 ms after the last log lines.
            if (!read || statesChangedSince(id, shown)) {
                read = true;
                BuildRecord record = get(id, caller);
                for (; shown < record.transitions().size(); shown++) {
                    if (!sink.accept(id, shown + 1, record.transitions().get(shown))) {
                        return record;
                    }
                }
                if (record.state().isTerminal()) {
                    return record;
                }
            }
            store.awaitWriteAfter(seen, FOLLOW_POLL);
        }
    }

    /**
     * Whether the build has more state changes than the {@code shown} ones, or none at all: a count of 0
     * is a build gone (pruned, deleted), and the record's read then says so.
     */
    private boolean statesChangedSince(BuildId id, int shown) throws StrataException {
        int count = store.transitionCount(id);
        return count > shown || count == 0;
    }

    /** Until this process writes to the store after the {@code seen}th write (at most {@link #FOLLOW_POLL}), then {@link #FOLLOW_GAP}. */
    private void awaitNews(long seen) throws InterruptedException {
        long start = System.nanoTime();
        store.awaitWriteAfter(seen, FOLLOW_POLL);
        long left = FOLLOW_GAP.toNanos() - (System.nanoTime() - start);
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    @Override
    public BuildRecord followLogs(BuildId id, long afterSequence, Caller caller, LogSink sink)
            throws StrataException, InterruptedException {
        long cursor = Math.max(0, afterSequence);
        while (true) {
            // The followed build's process may have died: end (or resume) it rather than wait forever.
            orphans.reconcileIfDue();
            // Read the state first: a build seen finished before its log was read has its whole log written.
            long seen = store.writesSoFar();
            BuildRecord record = get(id, caller);
            List<LogLine> page;
            do {
                page = store.logs(id, cursor, LOG_PAGE);
                for (LogLine line : page) {
                    if (!sink.accept(id, line)) {
                        return record;
                    }
                    cursor = line.sequence();
                }
            } while (page.size() == LOG_PAGE);
            if (record.state().isTerminal()) {
                return record;
            }
            awaitNews(seen);
        }
    }

    @Override
    public BuildRecord cancel(BuildId id, Caller caller) throws StrataException {
        BuildRecord build = get(id, caller);
        if (!build.state().isTerminal()) {
            if (build.state() == BuildState.PENDING && store.cancelPending(id)) {
                vault.forget(id);
                queueChanged.run();
                return store.find(id).orElseThrow();
            }
            if (store.requestCancel(id)) {
                return store.find(id).orElseThrow();
            }
        }
        BuildRecord now = store.find(id).orElseThrow();
        throw new ServiceException(ServiceReasons.BUILD_NOT_RUNNING, "build " + id + " is " + now.state()
                + (now.state().isTerminal() ? " already" : " and not running in any strata process")
                + "; there is nothing to cancel",
                "see `strata get-build " + id + "`");
    }

    /** Every build's summary the caller may see, for tests and tools: all pages at once. */
    List<BuildSummary> listAll(Caller caller) throws StrataException {
        List<BuildSummary> all = new ArrayList<>();
        BuildListQuery query = BuildListQuery.firstPage(BuildListQuery.MAX_LIMIT);
        BuildPage page;
        do {
            page = list(query, caller);
            all.addAll(page.builds());
            query = query.withCursor(page.nextCursor());
        } while (page.nextCursor().isPresent());
        return all;
    }
}
