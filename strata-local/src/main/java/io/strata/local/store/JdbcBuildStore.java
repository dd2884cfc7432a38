package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The build store on JDBC: the same SQL for SQLite and PostgreSQL (schema in {@code db/migration},
 * described in docs/store.md). Every operation is one transaction on a pooled connection. Writes
 * to a build first lock its row ({@code SELECT ... FOR UPDATE}), which both checks that it exists
 * and serialises concurrent writers of that build, so state checks, sequence numbers and log
 * continuity cannot race. Obtain one from {@link BuildStores#open}.
 */
public final class JdbcBuildStore implements BuildStore {
    private final StoreLocation location;
    private final ConnectionPool pool;
    private final Transactions transactions;
    private final ReleaseReservations releases;
    private final StoreJson json = new StoreJson();
    private final BuildReader reader = new BuildReader(json);
    private final QueueSlots slots = new QueueSlots();
    private final Clock clock;

    JdbcBuildStore(StoreLocation location, ConnectionPool pool, Clock clock) {
        this.location = location;
        this.pool = pool;
        this.transactions = new Transactions(pool, location.database(), location.toString());
        this.releases = new ReleaseReservations(transactions, clock);
        this.clock = clock;
        // The first request this store writes costs Jackson's set-up of the request's record (10-20 ms in a command's
        // fresh JVM): done while the store is checked and the orphaned builds reconciled, before the first submit.
        io.strata.core.pipeline.Background.warmUp("strata-store-json-warm-up", json::warmUp);
    }

    @Override
    public BuildRecord create(BuildRequest request, Map<String, String> configSnapshot, String planJson)
            throws StoreException {
        return create(BuildId.next(clock), request, configSnapshot, planJson, Optional.empty(), null);
    }

    @Override
    public BuildRecord create(BuildId id, BuildRequest request, Map<String, String> configSnapshot, String planJson)
            throws StoreException {
        return create(Objects.requireNonNull(id, "id"), request, configSnapshot, planJson, Optional.empty(), null);
    }

    @Override
    public BuildRecord createWorker(BuildId parent, String platform, BuildRequest request,
            Map<String, String> configSnapshot, String planJson) throws StoreException {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(platform, "platform");
        return create(BuildId.next(clock), request, configSnapshot, planJson, Optional.of(parent), platform);
    }

    private BuildRecord create(BuildId id, BuildRequest request, Map<String, String> configSnapshot, String planJson,
            Optional<BuildId> parent, String platform) throws StoreException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(configSnapshot, "configSnapshot");
        Objects.requireNonNull(planJson, "planJson");
        Instant createdAt = Timestamps.stored(clock.instant());
        run("create build " + id, connection -> {
            if (parent.isPresent()) {
                requireBuild(connection, parent.get());
            }
            Sql.update(connection, "INSERT INTO builds (id, component, git_ref, state, created_at, request_json,"
                            + " config_json, plan_json, submitted_by, parent_id, worker_platform)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id.value(), request.component(), request.gitRef(), BuildState.NEW.name(), createdAt,
                    json.request(request), json.config(configSnapshot), planJson, request.user(),
                    parent.map(BuildId::value).orElse(null), platform);
            return Sql.update(connection,
                    "INSERT INTO build_transitions (build_id, seq, state, occurred_at) VALUES (?, 1, ?, ?)",
                    id.value(), BuildState.NEW.name(), createdAt);
        });
        return new BuildRecord(id, request, configSnapshot, planJson, BuildState.NEW, createdAt,
                List.of(new StateTransition(BuildState.NEW, createdAt)), List.of(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), parent, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Override
    public BuildRecord createQueued(BuildId id, BuildRequest request, Map<String, String> configSnapshot,
            String planJson, QueueEntry entry, int maxPending) throws StoreException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(configSnapshot, "configSnapshot");
        Objects.requireNonNull(planJson, "planJson");
        Objects.requireNonNull(entry, "entry");
        // NEW and PENDING in one transaction: both transitions carry its one instant. The JSON is
        // written before the transaction, so the group commit's writer does not spend its time on it.
        Instant now = Timestamps.stored(clock.instant());
        String requestJson = json.request(request);
        String configJson = json.config(configSnapshot);
        run("create and queue build " + id, connection -> {
            if (maxPending < Integer.MAX_VALUE) {
                QueueRows.admit(connection, location.database(), maxPending);
            }
            Sql.update(connection, "INSERT INTO builds (id, component, git_ref, state, created_at, request_json,"
                            + " config_json, plan_json, submitted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id.value(), request.component(), request.gitRef(), BuildState.PENDING.name(), now, requestJson,
                    configJson, planJson, request.user());
            Sql.update(connection, "INSERT INTO build_transitions (build_id, seq, state, occurred_at)"
                    + " VALUES (?, 1, ?, ?), (?, 2, ?, ?)", id.value(), BuildState.NEW.name(), now, id.value(),
                    BuildState.PENDING.name(), now);
            QueueRows.insert(connection, id, entry, now);
            return null;
        });
        return new BuildRecord(id, request, configSnapshot, planJson, BuildState.PENDING, now,
                List.of(new StateTransition(BuildState.NEW, now), new StateTransition(BuildState.PENDING, now)),
                List.of(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public void transition(BuildId id, BuildState next, Optional<Failure> failure) throws StoreException {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(failure, "failure");
        run("move build " + id + " to " + next, connection -> {
            move(connection, id, lock(connection, id).state(), next, failure);
            return null;
        });
    }

    /** The move itself, on a locked row; a finished build gives up its lease in the same transaction. */
    private void move(Connection connection, BuildId id, BuildState current, BuildState next, Optional<Failure> failure)
            throws SQLException, StoreException {
        refuseIllegal(id, current, next, failure);
        Instant now = clock.instant();
        if (current == BuildState.RUNNING) {
            QueueSlots.release(connection, id);
        }
        if (next.isTerminal()) {
            LeaseRows.delete(connection, id);
            QueueRows.delete(connection, id);
        }
        Sql.update(connection,
                "UPDATE builds SET state = ?, finished_at = ?, failure_reason = ?, failure_message = ?, failure_hint = ?"
                        + " WHERE id = ?",
                next.name(), next.isTerminal() ? now : null, failure.map(Failure::reason).orElse(null),
                failure.map(Failure::message).orElse(null), failure.map(Failure::hint).orElse(null), id.value());
        // Numbered in the insert itself: one statement per transition, not a read and a write.
        Sql.update(connection, "INSERT INTO build_transitions (build_id, seq, state, occurred_at)"
                        + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM build_transitions WHERE build_id = ?",
                id.value(), next.name(), now, id.value());
    }

    private static void refuseIllegal(BuildId id, BuildState current, BuildState next, Optional<Failure> failure)
            throws StoreException {
        if (!current.canMoveTo(next)) {
            throw new StoreException(StoreReasons.ILLEGAL_TRANSITION,
                    "build " + id + " cannot move from " + current + " to " + next,
                    "states move NEW -> [PENDING ->] RUNNING -> COMPLETE, FAILED or CANCELLED and never leave a"
                            + " finished state; this is a bug in the caller");
        }
        if (next == BuildState.FAILED && failure.isEmpty()) {
            throw new StoreException(StoreReasons.ILLEGAL_TRANSITION,
                    "build " + id + " cannot move from " + current + " to FAILED without a failure",
                    "pass the Failure (reason and message) that made the build fail");
        }
        if (failure.isPresent() && next != BuildState.FAILED && next != BuildState.CANCELLED) {
            throw new StoreException(StoreReasons.ILLEGAL_TRANSITION,
                    "build " + id + " cannot move from " + current + " to " + next + " with a failure ("
                            + failure.get().reason() + ")",
                    "only FAILED and CANCELLED carry a failure");
        }
    }

    @Override
    public void recordStep(BuildId id, StepTiming timing) throws StoreException {
        Objects.requireNonNull(timing, "timing");
        run("record step " + timing.step() + " of build " + id, connection -> {
            lock(connection, id);
            return Sql.update(connection, "INSERT INTO build_steps (build_id, seq, step, started_at, finished_at,"
                            + " outcome) VALUES (?, ?, ?, ?, ?, ?)",
                    id.value(), nextSeq(connection, ChildTable.STEPS, id), timing.step(), timing.startedAt(),
                    timing.finishedAt(), timing.outcome().name());
        });
    }

    @Override
    public void recordCommit(BuildId id, String commitId) throws StoreException {
        Objects.requireNonNull(commitId, "commitId");
        run("record the commit of build " + id, connection -> {
            lock(connection, id);
            return Sql.update(connection, "UPDATE builds SET commit_id = ? WHERE id = ?", commitId, id.value());
        });
    }

    @Override
    public void recordKojiMetadata(BuildId id, String metadataJson) throws StoreException {
        Objects.requireNonNull(metadataJson, "metadataJson");
        run("record the Koji metadata of build " + id, connection -> {
            lock(connection, id);
            return Sql.update(connection, "UPDATE builds SET koji_metadata = ? WHERE id = ?", metadataJson, id.value());
        });
    }

    @Override
    public void recordOutput(BuildId id, ImageOutput output) throws StoreException {
        Objects.requireNonNull(output, "output");
        run("record output " + output.pullspec() + " of build " + id, connection -> {
            lock(connection, id);
            // The push records the image at once, gather_image_content again with its content: one row per platform.
            int replaced = Sql.update(connection,
                    "UPDATE build_outputs SET pullspec = ?, output_json = ? WHERE build_id = ? AND platform = ?",
                    output.pullspec(), json.output(output), id.value(), output.platform());
            if (replaced > 0) {
                return replaced;
            }
            return Sql.update(connection,
                    "INSERT INTO build_outputs (build_id, seq, platform, pullspec, output_json) VALUES (?, ?, ?, ?, ?)",
                    id.value(), nextSeq(connection, ChildTable.OUTPUTS, id), output.platform(), output.pullspec(),
                    json.output(output));
        });
    }

    @Override
    public void appendLog(BuildId id, List<LogLine> lines) throws StoreException {
        Objects.requireNonNull(lines, "lines");
        run("append " + lines.size() + " log lines to build " + id, connection -> logAndSteps(connection, id, lines, List.of()));
    }

    @Override
    public void record(BuildId id, List<LogLine> lines, List<StepTiming> steps) throws StoreException {
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(steps, "steps");
        run("record " + lines.size() + " log lines and " + steps.size() + " steps of build " + id,
                connection -> logAndSteps(connection, id, lines, steps));
    }

    /** Log lines (continuing the log, or nothing is written) and step timings, on the build's locked row. */
    private Void logAndSteps(Connection connection, BuildId id, List<LogLine> lines, List<StepTiming> steps)
            throws SQLException, StoreException {
        refuseGap(id, lock(connection, id).logEnd(), lines);
        if (!lines.isEmpty()) {
            Sql.batch(connection, "INSERT INTO build_logs (build_id, seq, logged_at, step, line) VALUES (?, ?, ?, ?, ?)",
                    lines.stream()
                            .map(line -> new Object[] {id.value(), line.sequence(), line.at(), line.step(), line.text()})
                            .toList());
            Sql.update(connection, "UPDATE builds SET log_end = ? WHERE id = ?", lines.getLast().sequence(), id.value());
        }
        if (!steps.isEmpty()) {
            int seq = nextSeq(connection, ChildTable.STEPS, id);
            List<Object[]> rows = new java.util.ArrayList<>();
            for (StepTiming timing : steps) {
                rows.add(new Object[] {id.value(), seq++, timing.step(), timing.startedAt(), timing.finishedAt(),
                        timing.outcome().name()});
            }
            Sql.batch(connection, "INSERT INTO build_steps (build_id, seq, step, started_at, finished_at, outcome)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", rows);
        }
        return null;
    }

    private static void refuseGap(BuildId id, long logEnd, List<LogLine> lines) throws StoreException {
        long expected = logEnd + 1;
        for (LogLine line : lines) {
            if (line.sequence() != expected) {
                throw new StoreException(StoreReasons.LOG_OUT_OF_SEQUENCE,
                        "log line " + line.sequence() + " of build " + id + " does not continue its log, which ends at "
                                + logEnd + " before this batch; expected " + expected,
                        "number a build's log lines 1, 2, 3, ... without gaps or repeats, in the order appended");
            }
            expected++;
        }
    }

    @Override
    public List<LogLine> logs(BuildId id, long afterSequence, int limit) throws StoreException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return read("read the log of build " + id, connection -> {
            requireBuild(connection, id);
            return reader.logs(connection, id, afterSequence, limit);
        });
    }

    @Override
    public Optional<BuildRecord> find(BuildId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        return read("read build " + id, connection -> reader.find(connection, id));
    }

    @Override
    public int transitionCount(BuildId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        return read("count the state changes of build " + id, connection -> Sql.first(connection,
                "SELECT COUNT(*) AS n FROM build_transitions WHERE build_id = ?", row -> row.getInt("n"), id.value()).orElse(0));
    }

    @Override
    public List<BuildId> workerAttempts(BuildId parent, String platform) throws StoreException {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(platform, "platform");
        return read("read the worker builds of " + parent, connection -> Sql.list(connection,
                "SELECT id FROM builds WHERE parent_id = ? AND worker_platform = ? ORDER BY created_at DESC, id DESC",
                row -> new BuildId(row.getString("id")), parent.value(), platform));
    }

    @Override
    public List<BuildSummary> list(BuildQuery query) throws StoreException {
        Objects.requireNonNull(query, "query");
        if (query.limit() < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + query.limit());
        }
        return read("list builds", connection -> reader.list(connection, query));
    }

    @Override
    public int reserveNextRelease(String component, String version) throws StoreException {
        try {
            return releases.reserveNext(component, version);
        } catch (SQLException e) {
            throw failed("reserve the next release of " + component + "-" + version, e);
        }
    }

    @Override
    public boolean reserveRelease(String component, String version, String release) throws StoreException {
        try {
            return releases.reserve(component, version, release);
        } catch (SQLException e) {
            throw failed("reserve release " + component + "-" + version + "-" + release, e);
        }
    }

    @Override
    public void takeLease(BuildId id, LeaseOwner owner, String workspace) throws StoreException {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(workspace, "workspace");
        run("take the lease of build " + id, connection -> {
            BuildState state = lock(connection, id).state();
            if (state.isTerminal()) {
                throw new StoreException(StoreReasons.ILLEGAL_TRANSITION, "build " + id + " is " + state
                        + " and cannot be run again", "start a new build");
            }
            LeaseRows.put(connection, id, owner, workspace, clock.instant());
            return null;
        });
    }

    @Override
    public boolean heartbeat(BuildId id, LeaseOwner owner, OptionalLong processGroup) throws StoreException {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(processGroup, "processGroup");
        return run("renew the lease of build " + id, connection -> {
            lock(connection, id);
            if (!LeaseRows.beat(connection, id, owner.id(), processGroup, clock.instant())) {
                throw new StoreException(StoreReasons.LEASE_LOST, "build " + id + " is no longer leased to this process"
                        + " (" + owner.host() + ", pid " + owner.pid() + "): another Strata process ended it",
                        "see `strata get-build " + id + "`");
            }
            return LeaseRows.find(connection, id).map(BuildLease::cancelRequested).orElse(false);
        });
    }

    @Override
    public boolean requestCancel(BuildId id) throws StoreException {
        return run("request the cancellation of build " + id, connection -> {
            lock(connection, id);
            return LeaseRows.requestCancel(connection, id, clock.instant());
        });
    }

    @Override
    public List<BuildLease> leases() throws StoreException {
        return read("read the build leases", LeaseRows::all);
    }

    @Override
    public boolean endOrphaned(BuildId id, String ownerId, Failure failure) throws StoreException {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(failure, "failure");
        return run("end orphaned build " + id, connection -> {
            LockedBuild build = lock(connection, id);
            Optional<BuildLease> lease = LeaseRows.find(connection, id);
            if (lease.isEmpty() || !lease.get().owner().id().equals(ownerId) || build.state().isTerminal()) {
                return false;
            }
            Optional<QueuedBuild> queued = QueueRows.find(connection, id);
            if (build.state() == BuildState.RUNNING && queued.isPresent()
                    && queued.get().attempts() < queued.get().entry().maxAttempts()) {
                // A queued build resumes: it goes back to PENDING for another attempt, now.
                putBack(connection, id, build, clock.instant(), failure.message() + " [" + failure.reason()
                        + "]; the build waits in the queue for attempt " + (queued.get().attempts() + 1) + " of "
                        + queued.get().entry().maxAttempts());
                return true;
            }
            move(connection, id, build.state(), BuildState.FAILED, Optional.of(failure));
            return true;
        });
    }

    @Override
    public void enqueue(BuildId id, QueueEntry entry) throws StoreException {
        Objects.requireNonNull(entry, "entry");
        run("queue build " + id, connection -> {
            move(connection, id, lock(connection, id).state(), BuildState.PENDING, Optional.empty());
            QueueRows.insert(connection, id, entry, clock.instant());
            return null;
        });
    }

    @Override
    public List<QueuedBuild> queue() throws StoreException {
        return read("read the queue", QueueRows::all);
    }

    @Override
    public List<QueuedBuild> due(String engine, Instant now, int limit) throws StoreException {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(now, "now");
        return read("read the due builds of the queue", connection -> QueueRows.due(connection, engine, now, Math.max(0, limit)));
    }

    @Override
    public Optional<QueueClaim> claim(BuildId id, LeaseOwner owner, String workspace, ConcurrencyLimits limits)
            throws StoreException {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(limits, "limits");
        Optional<ClaimedRow> claimed = run("claim queued build " + id, connection -> {
            // Another scheduler holding the row is claiming or ending it right now: pass, do not wait.
            Optional<ClaimedRow> locked = lockUnlessBusy(connection, id);
            Optional<QueuedBuild> queued = QueueRows.find(connection, id);
            Instant now = clock.instant();
            if (locked.isEmpty() || locked.get().state() != BuildState.PENDING || queued.isEmpty()
                    || !queued.get().isDue(now)) {
                return Optional.<ClaimedRow>empty();
            }
            QueueEntry entry = queued.get().entry();
            if (QueueDrains.drained(connection, entry.engine(), entry.platform())) {
                return Optional.<ClaimedRow>empty();
            }
            Database database = location.database();
            Optional<Integer> engineSlot = slots.free(connection, database, QueueSlots.ENGINE, entry.engine(),
                    limits.perEngine());
            Integer platformLimit = limits.perPlatform().get(entry.platform());
            Optional<Integer> platformSlot = platformLimit == null || engineSlot.isEmpty() ? Optional.empty()
                    : slots.free(connection, database, QueueSlots.PLATFORM, entry.platform(), platformLimit);
            if (engineSlot.isEmpty() || platformLimit != null && platformSlot.isEmpty()) {
                return Optional.<ClaimedRow>empty();
            }
            QueueSlots.take(connection, QueueSlots.ENGINE, entry.engine(), engineSlot.get(), id);
            if (platformSlot.isPresent()) {
                QueueSlots.take(connection, QueueSlots.PLATFORM, entry.platform(), platformSlot.get(), id);
            }
            LeaseRows.put(connection, id, owner, workspace, now);
            // The build's row is locked, and every writer of its queue row locks it first: the token
            // read above is current, so the claim's is the next one (no read back).
            QueueRows.claim(connection, id, now);
            long token = queued.get().fencingToken() + 1;
            move(connection, id, BuildState.PENDING, BuildState.RUNNING, Optional.empty());
            return Optional.of(locked.get().claimed(token, queued.get().attempts() + 1));
        });
        // The request is read outside the transaction: the group commit's writer has the others' writes to run.
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        ClaimedRow row = claimed.get();
        return Optional.of(new QueueClaim(id, row.token(), row.attempt(), row.logEnd(), json.request(id, row.requestJson()),
                row.planJson()));
    }

    @Override
    public boolean finishClaim(BuildId id, long fencingToken, BuildState state, Optional<Failure> failure)
            throws StoreException {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(failure, "failure");
        return run("end claimed build " + id, connection -> {
            LockedBuild build = lock(connection, id);
            if (!holdsToken(connection, id, build, fencingToken)) {
                return false;
            }
            move(connection, id, build.state(), state, failure);
            return true;
        });
    }

    @Override
    public boolean requeue(BuildId id, long fencingToken, Instant notBefore, String why) throws StoreException {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(why, "why");
        return run("put build " + id + " back in the queue", connection -> {
            LockedBuild build = lock(connection, id);
            if (!holdsToken(connection, id, build, fencingToken)) {
                return false;
            }
            putBack(connection, id, build, Timestamps.stored(notBefore), why);
            return true;
        });
    }

    @Override
    public boolean cancelPending(BuildId id) throws StoreException {
        return run("cancel pending build " + id, connection -> {
            LockedBuild build = lock(connection, id);
            if (build.state() != BuildState.PENDING) {
                return false;
            }
            move(connection, id, build.state(), BuildState.CANCELLED, Optional.empty());
            return true;
        });
    }

    /** Whether the build is RUNNING from the queue under this token (no newer claim, no reconcile since). */
    private static boolean holdsToken(Connection connection, BuildId id, LockedBuild build, long fencingToken)
            throws SQLException, StoreException {
        return build.state() == BuildState.RUNNING && QueueRows.fencingToken(connection, id).equals(Optional.of(fencingToken));
    }

    /** RUNNING back to PENDING: lease dropped, due at {@code notBefore}, the reason as one line of its log. */
    private void putBack(Connection connection, BuildId id, LockedBuild build, Instant notBefore, String why)
            throws SQLException, StoreException {
        LeaseRows.delete(connection, id);
        QueueRows.release(connection, id, notBefore);
        move(connection, id, build.state(), BuildState.PENDING, Optional.empty());
        long seq = build.logEnd() + 1;
        Sql.update(connection, "INSERT INTO build_logs (build_id, seq, logged_at, step, line) VALUES (?, ?, ?, ?, ?)",
                id.value(), seq, clock.instant(), QUEUE_LOG_STEP, why);
        Sql.update(connection, "UPDATE builds SET log_end = ? WHERE id = ?", seq, id.value());
    }

    /** The step name of the log lines the queue itself writes. */
    public static final String QUEUE_LOG_STEP = "queue";

    @Override
    public int reserveReleaseFor(BuildId id, String component, String version) throws StoreException {
        try {
            return releases.reserveNextFor(id, component, version);
        } catch (SQLException e) {
            throw failed("reserve the release of build " + id, e);
        }
    }

    @Override
    public boolean reserveReleaseFor(BuildId id, String component, String version, String release)
            throws StoreException {
        try {
            return releases.reserveFor(id, component, version, release);
        } catch (SQLException e) {
            throw failed("reserve release " + component + "-" + version + "-" + release + " for build " + id, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcBuildStore[" + location + "]";
    }

    /** What a writer needs to know about the build whose row it has locked. */
    private record LockedBuild(BuildState state, long logEnd) {}

    /** Locks the build's row until the transaction ends. */
    private LockedBuild lock(Connection connection, BuildId id) throws SQLException, StoreException {
        return Sql.first(connection, "SELECT state, log_end FROM builds WHERE id = ?" + location.database().rowLockClause(),
                        row -> new LockedBuild(BuildState.valueOf(row.getString("state")), row.getLong("log_end")),
                        id.value())
                .orElseThrow(() -> notFound(id));
    }

    /**
     * A build's row locked by a claim, with what its worker needs: the claim answers it so that the
     * claimer does not read the record again.
     */
    private record ClaimedRow(BuildState state, long logEnd, String requestJson, String planJson, long token,
            int attempt) {
        ClaimedRow claimed(long fencingToken, int attemptNumber) {
            return new ClaimedRow(state, logEnd, requestJson, planJson, fencingToken, attemptNumber);
        }
    }

    /** Locks the build's row, or empty when another transaction holds it (PostgreSQL); BUILD_NOT_FOUND when there is none. */
    private Optional<ClaimedRow> lockUnlessBusy(Connection connection, BuildId id) throws SQLException, StoreException {
        Optional<ClaimedRow> build = Sql.first(connection, "SELECT state, log_end, request_json, plan_json FROM builds"
                        + " WHERE id = ?" + location.database().skipLockedClause(),
                row -> new ClaimedRow(BuildState.valueOf(row.getString(1)), row.getLong(2), row.getString(3),
                        row.getString(4), 0, 0), id.value());
        if (build.isEmpty()) {
            requireBuild(connection, id);
        }
        return build;
    }

    private static void requireBuild(Connection connection, BuildId id) throws SQLException, StoreException {
        if (Sql.first(connection, "SELECT 1 FROM builds WHERE id = ?", row -> true, id.value()).isEmpty()) {
            throw notFound(id);
        }
    }

    private static StoreException notFound(BuildId id) {
        return new StoreException(StoreReasons.BUILD_NOT_FOUND, "no build " + id + " in the build store",
                "run `strata list-builds` to see the builds this store knows");
    }

    /**
     * The builds' short child tables, each numbered 1, 2, ... per build in a {@code seq} column.
     * The log is not one of them: it can be long, so its end is kept on the build's row.
     */
    private enum ChildTable {
        STEPS("build_steps"), OUTPUTS("build_outputs");

        private final String table;

        ChildTable(String table) {
            this.table = table;
        }
    }

    /** Only correct while the build's row is locked, which every writer does first. */
    private static int nextSeq(Connection connection, ChildTable child, BuildId id) throws SQLException, StoreException {
        return Sql.first(connection, "SELECT COALESCE(MAX(seq), 0) + 1 FROM " + child.table + " WHERE build_id = ?",
                row -> row.getInt(1), id.value()).orElseThrow();
    }

    // ---- operating the service (docs/store.md, "Operations")

    /** Takes an engine or platform out of rotation (its PENDING builds wait); false when it was drained already. */
    public boolean drain(String scope, String name, String by) throws StoreException {
        return run("drain " + scope + " " + name, connection ->
                QueueDrains.put(connection, scope, name, Timestamps.stored(clock.instant()), by));
    }

    /** Puts an engine or platform back in rotation; false when it was not drained. */
    public boolean undrain(String scope, String name) throws StoreException {
        return run("undrain " + scope + " " + name, connection -> QueueDrains.delete(connection, scope, name));
    }

    /** Every engine and platform out of rotation now. */
    public List<QueueDrain> drains() throws StoreException {
        return read("read the drained engines", QueueDrains::all);
    }

    /**
     * Whether a build of this engine and platform must wait because either is drained: what
     * {@link #claim} checks in its transaction, for any other placement to honour too.
     */
    public boolean isDrained(String engine, String platform) throws StoreException {
        return read("read the drained engines", connection -> QueueDrains.drained(connection, engine, platform));
    }

    /** Queued builds per engine and platform, waiting and running. */
    public List<QueueCount> queueCounts() throws StoreException {
        return read("count the queue", QueueRows::counts);
    }

    /** Builds waiting PENDING in the queue now, over every engine. */
    public int pendingCount() throws StoreException {
        return read("count the queue", QueueRows::pending);
    }

    /**
     * Removes up to {@code limit} finished builds that ended before {@code finishedBefore} (oldest
     * first) with their transitions, steps, outputs, log and any queue or lease row, in one
     * transaction. Release reservations stay, so a pruned build's release is never handed out again.
     */
    public PrunedRecords prune(Instant finishedBefore, int limit) throws StoreException {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        return run("prune builds finished before " + finishedBefore, connection ->
                PruneRows.prune(connection, location.database(), Timestamps.stored(finishedBefore), limit));
    }

    /** Tells {@code observer} how long each transaction of this store took (the service's store latency metric). */
    public void observeLatency(Transactions.LatencyObserver observer) {
        transactions.observe(observer);
    }

    /**
     * Write transactions committed so far by the embedded store's group commit, each holding one
     * or more writes (docs/store.md, "Group commit"); 0 on PostgreSQL. For the queue benchmark.
     */
    public long sharedCommits() {
        return transactions.sharedCommits();
    }

    /** The API tokens of the build service, kept in this store (docs/service.md). */
    public ApiTokens apiTokens() {
        return new ApiTokens(this, clock);
    }

    /** The JSON of the stored documents, for the other row classes of this package. */
    StoreJson json() {
        return json;
    }

    /** The build-avoidance columns of the builds (docs/builds.md, "Build avoidance"). */
    public BuildAvoidanceRows avoidance() {
        return new BuildAvoidanceRows(this);
    }

    /** The autorebuild policies kept in this store (docs/builds.md, "Autorebuild"). */
    public AutorebuildPolicies autorebuilds() {
        return new AutorebuildPolicies(this, clock);
    }

    @Override
    public long writesSoFar() {
        return transactions.writes().writes();
    }

    @Override
    public void awaitWriteAfter(long seen, java.time.Duration longest) throws InterruptedException {
        transactions.writes().awaitAfter(seen, longest);
    }

    /** One writing transaction for the other tables of this store ({@link ApiTokens}). */
    <T> T write(String what, Transactions.Work<T> work) throws StoreException {
        return run(what, work);
    }

    /** One reading transaction for the other tables of this store ({@link ApiTokens}). */
    <T> T readOnly(String what, Transactions.Work<T> work) throws StoreException {
        return read(what, work);
    }

    private <T> T run(String what, Transactions.Work<T> work) throws StoreException {
        try {
            return transactions.inTransaction(work);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private <T> T read(String what, Transactions.Work<T> work) throws StoreException {
        try {
            return transactions.reading(work);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private StoreException failed(String what, SQLException e) {
        if (SqlErrors.isConnectionFailure(e)) {
            return location.unavailable("lost the connection while trying to " + what + ": " + e.getMessage());
        }
        return new StoreException(StoreReasons.STORE_ERROR,
                "the build store at " + location + " could not " + what + ": " + location.redact(e.getMessage()),
                "see the database's log; if the schema was changed by hand, restore it (docs/store.md)", e);
    }
}
