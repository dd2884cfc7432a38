package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The build store on JDBC: the same SQL for H2 and PostgreSQL (schema in
 * {@code db/migration}, see docs/store.md). Every operation is one transaction on a pooled
 * connection. Writes to a build first lock its row ({@code SELECT ... FOR UPDATE}), which both
 * checks that it exists and serialises concurrent writers of the same build, so state checks,
 * sequence numbers and log continuity cannot race. Obtain one from {@link BuildStores#open}.
 */
public final class JdbcBuildStore implements BuildStore {
    private static final String LIST_BUILDS_HINT = "run `strata list-builds` to see the builds this store knows";

    private final StoreLocation location;
    private final ConnectionPool pool;
    private final Transactions transactions;
    private final ReleaseReservations releases;
    private final StoreJson json = new StoreJson();
    private final Clock clock;

    JdbcBuildStore(StoreLocation location, ConnectionPool pool, Clock clock) {
        this.location = location;
        this.pool = pool;
        this.transactions = new Transactions(pool);
        this.releases = new ReleaseReservations(transactions, clock);
        this.clock = clock;
    }

    @Override
    public BuildRecord create(BuildRequest request, Map<String, String> configSnapshot, String planJson)
            throws StoreException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(configSnapshot, "configSnapshot");
        Objects.requireNonNull(planJson, "planJson");
        BuildId id = BuildId.next(clock);
        Instant createdAt = Timestamps.stored(clock.instant());
        run("create build " + id, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO builds (id, component, git_ref, state, created_at, request_json, config_json, plan_json)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id.value());
                insert.setString(2, request.component());
                insert.setString(3, request.gitRef());
                insert.setString(4, BuildState.NEW.name());
                Timestamps.set(insert, 5, createdAt);
                insert.setString(6, json.request(request));
                insert.setString(7, json.config(configSnapshot));
                insert.setString(8, planJson);
                insert.executeUpdate();
            }
            insertTransition(connection, id, 1, BuildState.NEW, createdAt);
            return null;
        });
        return new BuildRecord(id, request, configSnapshot, planJson, BuildState.NEW, createdAt,
                List.of(new StateTransition(BuildState.NEW, createdAt)), List.of(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty());
    }

    @Override
    public void transition(BuildId id, BuildState next, Optional<Failure> failure) throws StoreException {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(failure, "failure");
        run("move build " + id + " to " + next, connection -> {
            BuildState current = lockBuild(connection, id).state();
            refuseIllegal(id, current, next, failure);
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE builds SET state = ?, finished_at = ?, failure_reason = ?, failure_message = ? WHERE id = ?")) {
                update.setString(1, next.name());
                if (next.isTerminal()) {
                    Timestamps.set(update, 2, now);
                } else {
                    update.setObject(2, null);
                }
                update.setString(3, failure.map(Failure::reason).orElse(null));
                update.setString(4, failure.map(Failure::message).orElse(null));
                update.setString(5, id.value());
                update.executeUpdate();
            }
            insertTransition(connection, id, nextSeq(connection, ChildTable.TRANSITIONS, id), next, now);
            return null;
        });
    }

    private static void refuseIllegal(BuildId id, BuildState current, BuildState next, Optional<Failure> failure)
            throws StoreException {
        String hint = "states move NEW -> [PENDING ->] RUNNING -> COMPLETE, FAILED or CANCELLED and never leave"
                + " a finished state; this is a bug in the caller";
        if (!current.canMoveTo(next)) {
            throw new StoreException(StoreReasons.ILLEGAL_TRANSITION,
                    "build " + id + " cannot move from " + current + " to " + next, hint);
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
            lockBuild(connection, id);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO build_steps (build_id, seq, step, started_at, finished_at, outcome)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id.value());
                insert.setInt(2, nextSeq(connection, ChildTable.STEPS, id));
                insert.setString(3, timing.step());
                Timestamps.set(insert, 4, timing.startedAt());
                Timestamps.set(insert, 5, timing.finishedAt());
                insert.setString(6, timing.outcome().name());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void recordCommit(BuildId id, String commitId) throws StoreException {
        Objects.requireNonNull(commitId, "commitId");
        updateColumn(id, "record the commit of build " + id, "commit_id", commitId);
    }

    @Override
    public void recordKojiMetadata(BuildId id, String metadataJson) throws StoreException {
        Objects.requireNonNull(metadataJson, "metadataJson");
        updateColumn(id, "record the Koji metadata of build " + id, "koji_metadata", metadataJson);
    }

    /** {@code column} is always one of this class's literals, never input. */
    private void updateColumn(BuildId id, String what, String column, String value) throws StoreException {
        run(what, connection -> {
            lockBuild(connection, id);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE builds SET " + column + " = ? WHERE id = ?")) {
                update.setString(1, value);
                update.setString(2, id.value());
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void recordOutput(BuildId id, ImageOutput output) throws StoreException {
        Objects.requireNonNull(output, "output");
        run("record output " + output.pullspec() + " of build " + id, connection -> {
            lockBuild(connection, id);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO build_outputs (build_id, seq, platform, pullspec, output_json) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, id.value());
                insert.setInt(2, nextSeq(connection, ChildTable.OUTPUTS, id));
                insert.setString(3, output.platform());
                insert.setString(4, output.pullspec());
                insert.setString(5, json.output(output));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void appendLog(BuildId id, List<LogLine> lines) throws StoreException {
        Objects.requireNonNull(lines, "lines");
        run("append " + lines.size() + " log lines to build " + id, connection -> {
            long last = lockBuild(connection, id).logEnd();
            refuseGap(id, last, lines);
            if (lines.isEmpty()) {
                return null;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO build_logs (build_id, seq, logged_at, step, line) VALUES (?, ?, ?, ?, ?)")) {
                for (LogLine line : lines) {
                    insert.setString(1, id.value());
                    insert.setLong(2, line.sequence());
                    Timestamps.set(insert, 3, line.at());
                    insert.setString(4, line.step());
                    insert.setString(5, line.text());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE builds SET log_end = ? WHERE id = ?")) {
                update.setLong(1, lines.getLast().sequence());
                update.setString(2, id.value());
                update.executeUpdate();
            }
            return null;
        });
    }

    private static void refuseGap(BuildId id, long last, List<LogLine> lines) throws StoreException {
        long expected = last + 1;
        for (LogLine line : lines) {
            if (line.sequence() != expected) {
                throw new StoreException(StoreReasons.LOG_OUT_OF_SEQUENCE,
                        "log line " + line.sequence() + " of build " + id + " does not continue its log, which ends at "
                                + last + " before this batch; expected " + expected,
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
        return run("read the log of build " + id, connection -> {
            requireBuild(connection, id);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seq, logged_at, step, line FROM build_logs WHERE build_id = ? AND seq > ?"
                            + " ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
                select.setString(1, id.value());
                select.setLong(2, afterSequence);
                select.setInt(3, limit);
                List<LogLine> lines = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        lines.add(new LogLine(row.getLong("seq"), Timestamps.get(row, "logged_at"),
                                row.getString("step"), row.getString("line")));
                    }
                }
                return List.copyOf(lines);
            }
        });
    }

    @Override
    public Optional<BuildRecord> find(BuildId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        return run("read build " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT * FROM builds WHERE id = ?")) {
                select.setString(1, id.value());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(toRecord(connection, id, row));
                }
            }
        });
    }

    private BuildRecord toRecord(Connection connection, BuildId id, ResultSet row) throws SQLException, StoreException {
        String failureReason = row.getString("failure_reason");
        Optional<Failure> failure = failureReason == null
                ? Optional.empty()
                : Optional.of(new Failure(failureReason, Objects.requireNonNullElse(row.getString("failure_message"), "")));
        return new BuildRecord(
                id,
                json.request(id, row.getString("request_json")),
                json.config(id, row.getString("config_json")),
                row.getString("plan_json"),
                BuildState.valueOf(row.getString("state")),
                Timestamps.get(row, "created_at"),
                transitions(connection, id),
                steps(connection, id),
                Optional.ofNullable(row.getString("commit_id")),
                outputs(connection, id),
                failure,
                Optional.ofNullable(row.getString("koji_metadata")));
    }

    private static List<StateTransition> transitions(Connection connection, BuildId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state, occurred_at FROM build_transitions WHERE build_id = ? ORDER BY seq")) {
            select.setString(1, id.value());
            List<StateTransition> transitions = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    transitions.add(new StateTransition(BuildState.valueOf(row.getString("state")),
                            Timestamps.get(row, "occurred_at")));
                }
            }
            return transitions;
        }
    }

    private static List<StepTiming> steps(Connection connection, BuildId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT step, started_at, finished_at, outcome FROM build_steps WHERE build_id = ? ORDER BY seq")) {
            select.setString(1, id.value());
            List<StepTiming> steps = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    steps.add(new StepTiming(row.getString("step"), Timestamps.get(row, "started_at"),
                            Timestamps.get(row, "finished_at"), StepOutcome.valueOf(row.getString("outcome"))));
                }
            }
            return steps;
        }
    }

    private List<ImageOutput> outputs(Connection connection, BuildId id) throws SQLException, StoreException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT output_json FROM build_outputs WHERE build_id = ? ORDER BY seq")) {
            select.setString(1, id.value());
            List<ImageOutput> outputs = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    outputs.add(json.output(id, row.getString("output_json")));
                }
            }
            return outputs;
        }
    }

    @Override
    public List<BuildSummary> list(BuildQuery query) throws StoreException {
        Objects.requireNonNull(query, "query");
        if (query.limit() < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + query.limit());
        }
        StringBuilder sql = new StringBuilder("SELECT b.id, b.component, b.git_ref, b.state, b.created_at,"
                + " b.finished_at, b.failure_reason,"
                + " (SELECT o.pullspec FROM build_outputs o WHERE o.build_id = b.id AND o.seq = 1) AS pullspec"
                + " FROM builds b WHERE 1 = 1");
        List<String> parameters = new ArrayList<>();
        query.component().ifPresent(component -> {
            sql.append(" AND b.component = ?");
            parameters.add(component);
        });
        query.state().ifPresent(state -> {
            sql.append(" AND b.state = ?");
            parameters.add(state.name());
        });
        sql.append(" ORDER BY b.created_at DESC, b.id DESC FETCH FIRST ? ROWS ONLY");
        return run("list builds", connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                int index = 1;
                for (String parameter : parameters) {
                    select.setString(index++, parameter);
                }
                select.setInt(index, query.limit());
                List<BuildSummary> summaries = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        summaries.add(new BuildSummary(new BuildId(row.getString("id")), row.getString("component"),
                                row.getString("git_ref"), BuildState.valueOf(row.getString("state")),
                                Timestamps.get(row, "created_at"), Timestamps.getOptional(row, "finished_at"),
                                Optional.ofNullable(row.getString("failure_reason")),
                                Optional.ofNullable(row.getString("pullspec"))));
                    }
                }
                return List.copyOf(summaries);
            }
        });
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
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcBuildStore[" + location + "]";
    }

    /**
     * The builds' short child tables, each numbered 1, 2, ... per build in a {@code seq} column.
     * The log is not one of them: it can be long, so its end is kept on the build's row.
     */
    private enum ChildTable {
        TRANSITIONS("build_transitions"), STEPS("build_steps"), OUTPUTS("build_outputs");

        private final String table;

        ChildTable(String table) {
            this.table = table;
        }
    }

    /** Only correct while the build's row is locked, which every writer does first. */
    private static int nextSeq(Connection connection, ChildTable child, BuildId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM " + child.table + " WHERE build_id = ?")) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1) + 1;
            }
        }
    }

    private static void insertTransition(Connection connection, BuildId id, int seq, BuildState state, Instant at)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO build_transitions (build_id, seq, state, occurred_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, id.value());
            insert.setInt(2, seq);
            insert.setString(3, state.name());
            Timestamps.set(insert, 4, at);
            insert.executeUpdate();
        }
    }

    /** What a writer needs to know about the build it has locked. */
    private record LockedBuild(BuildState state, long logEnd) {}

    /** Locks the build's row for the rest of the transaction. */
    private static LockedBuild lockBuild(Connection connection, BuildId id) throws SQLException, StoreException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state, log_end FROM builds WHERE id = ? FOR UPDATE")) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw notFound(id);
                }
                return new LockedBuild(BuildState.valueOf(row.getString("state")), row.getLong("log_end"));
            }
        }
    }

    private static void requireBuild(Connection connection, BuildId id) throws SQLException, StoreException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM builds WHERE id = ?")) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw notFound(id);
                }
            }
        }
    }

    private static StoreException notFound(BuildId id) {
        return new StoreException(StoreReasons.BUILD_NOT_FOUND, "no build " + id + " in the build store", LIST_BUILDS_HINT);
    }

    private <T> T run(String what, Transactions.Work<T> work) throws StoreException {
        try {
            return transactions.inTransaction(work);
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
