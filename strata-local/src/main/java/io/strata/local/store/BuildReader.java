package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.build.WorkerBuild;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildSummary;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads builds, listings and logs back into domain values, inside a transaction the caller runs. */
final class BuildReader {
    private static final String SUMMARY_COLUMNS = "b.id, b.component, b.git_ref, b.state, b.created_at, b.finished_at,"
            + " b.failure_reason,"
            + " (SELECT o.pullspec FROM build_outputs o WHERE o.build_id = b.id AND o.seq = 1) AS first_pullspec";

    private final StoreJson json;

    BuildReader(StoreJson json) {
        this.json = json;
    }

    Optional<BuildRecord> find(Connection connection, BuildId id) throws SQLException, StoreException {
        return Sql.first(connection,
                "SELECT request_json, config_json, plan_json, state, created_at, commit_id, failure_reason,"
                        + " failure_message, failure_hint, koji_metadata, parent_id, content_key, reused_from,"
                        + " config_only_from, autorebuild_cause FROM builds WHERE id = ?",
                row -> record(connection, id, row), id.value());
    }

    private BuildRecord record(Connection connection, BuildId id, ResultSet row) throws SQLException, StoreException {
        String failureReason = row.getString("failure_reason");
        Optional<Failure> failure = failureReason == null
                ? Optional.empty()
                : Optional.of(new Failure(failureReason, Objects.requireNonNullElse(row.getString("failure_message"), ""),
                        row.getString("failure_hint")));
        BuildRequest request = json.request(id, row.getString("request_json"));
        return new BuildRecord(
                id,
                request,
                json.config(id, row.getString("config_json")),
                row.getString("plan_json"),
                BuildState.valueOf(row.getString("state")),
                Timestamps.get(row, "created_at"),
                Sql.list(connection, "SELECT state, occurred_at FROM build_transitions WHERE build_id = ? ORDER BY seq",
                        transition -> new StateTransition(BuildState.valueOf(transition.getString("state")),
                                Timestamps.get(transition, "occurred_at")),
                        id.value()),
                Sql.list(connection,
                        "SELECT step, started_at, finished_at, outcome FROM build_steps WHERE build_id = ? ORDER BY seq",
                        step -> new StepTiming(step.getString("step"), Timestamps.get(step, "started_at"),
                                Timestamps.get(step, "finished_at"), StepOutcome.valueOf(step.getString("outcome"))),
                        id.value()),
                Optional.ofNullable(row.getString("commit_id")),
                Sql.list(connection, "SELECT output_json FROM build_outputs WHERE build_id = ? ORDER BY seq",
                        output -> json.output(id, output.getString("output_json")), id.value()),
                failure,
                Optional.ofNullable(row.getString("koji_metadata")),
                Optional.ofNullable(row.getString("parent_id")).map(BuildId::new),
                workers(connection, id, request.platforms()),
                Optional.ofNullable(row.getString("content_key")),
                Optional.ofNullable(row.getString("reused_from")).map(BuildId::new),
                Optional.ofNullable(row.getString("config_only_from")).map(BuildId::new),
                Optional.ofNullable(row.getString("autorebuild_cause")));
    }

    /**
     * The worker builds of an orchestrator: per platform the newest (a resumed orchestrator starts
     * new workers; the interrupted ones stay in the store under their own ids), in the order of the
     * request's platforms: that is the image index's order, whereas the workers start in parallel and
     * their records are created in whatever order the threads run (a CI run saw aarch64 before x86_64).
     */
    private List<WorkerBuild> workers(Connection connection, BuildId parent, List<String> platforms)
            throws SQLException, StoreException {
        List<String[]> rows = Sql.list(connection,
                "SELECT id, worker_platform FROM builds WHERE parent_id = ? ORDER BY created_at, id",
                row -> new String[] {row.getString("id"), row.getString("worker_platform")}, parent.value());
        Map<String, String> newestByPlatform = new LinkedHashMap<>();
        for (String[] row : rows) {
            newestByPlatform.put(row[1], row[0]);
        }
        List<Map.Entry<String, String>> ordered = new ArrayList<>(newestByPlatform.entrySet());
        // A platform the request does not name (none today) keeps its creation order after the named ones.
        ordered.sort(Comparator.comparingInt(worker -> {
            int position = platforms.indexOf(worker.getKey());
            return position < 0 ? Integer.MAX_VALUE : position;
        }));
        List<WorkerBuild> workers = new ArrayList<>();
        for (Map.Entry<String, String> worker : ordered) {
            BuildId id = new BuildId(worker.getValue());
            BuildRecord record = find(connection, id).orElseThrow();
            workers.add(new WorkerBuild(id, worker.getKey(), record.state(), record.failure(), record.outputs(),
                    record.steps()));
        }
        return workers;
    }

    /** Newest first; the build id breaks ties of builds created in the same microsecond. */
    List<BuildSummary> list(Connection connection, BuildQuery query) throws SQLException, StoreException {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM builds b WHERE b.parent_id IS NULL");
        List<Object> parameters = new ArrayList<>();
        if (query.component().isPresent()) {
            sql.append(" AND b.component = ?");
            parameters.add(query.component().get());
        }
        if (query.state().isPresent()) {
            sql.append(" AND b.state = ?");
            parameters.add(query.state().get().name());
        }
        if (query.user().isPresent()) {
            sql.append(" AND b.submitted_by = ?");
            parameters.add(query.user().get());
        }
        if (query.createdAfter().isPresent()) {
            sql.append(" AND b.created_at >= ?");
            parameters.add(query.createdAfter().get());
        }
        if (query.createdBefore().isPresent()) {
            sql.append(" AND b.created_at < ?");
            parameters.add(query.createdBefore().get());
        }
        if (query.olderThan().isPresent()) {
            // Keyset paging in the listing's own order: (created_at, id) below the cursor's build.
            sql.append(" AND (b.created_at < (SELECT c.created_at FROM builds c WHERE c.id = ?)"
                    + " OR (b.created_at = (SELECT c.created_at FROM builds c WHERE c.id = ?) AND b.id < ?))");
            String cursor = query.olderThan().get().value();
            parameters.add(cursor);
            parameters.add(cursor);
            parameters.add(cursor);
        }
        sql.append(" ORDER BY b.created_at DESC, b.id DESC LIMIT ?");
        parameters.add(query.limit());
        return Sql.list(connection, sql.toString(), BuildReader::summary, parameters.toArray());
    }

    private static BuildSummary summary(ResultSet row) throws SQLException {
        return new BuildSummary(new BuildId(row.getString("id")), row.getString("component"), row.getString("git_ref"),
                BuildState.valueOf(row.getString("state")), Timestamps.get(row, "created_at"),
                Timestamps.getOptional(row, "finished_at"), Optional.ofNullable(row.getString("failure_reason")),
                Optional.ofNullable(row.getString("first_pullspec")));
    }

    List<LogLine> logs(Connection connection, BuildId id, long afterSequence, int limit)
            throws SQLException, StoreException {
        return Sql.list(connection,
                "SELECT seq, logged_at, step, line FROM build_logs WHERE build_id = ? AND seq > ?"
                        + " ORDER BY seq LIMIT ?",
                row -> new LogLine(row.getLong("seq"), Timestamps.get(row, "logged_at"), row.getString("step"),
                        row.getString("line")),
                id.value(), afterSequence, limit);
    }
}
