package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/** Deletes finished builds and everything recorded about them, inside one transaction of {@link JdbcBuildStore}. */
final class PruneRows {
    /** The child tables of a build, deleted before its row (their foreign keys point at it). */
    private static final List<String> CHILDREN = List.of("build_logs", "build_steps", "build_outputs",
            "build_transitions", "build_leases", "build_queue");

    private PruneRows() {}

    static PrunedRecords prune(Connection connection, Database database, Instant finishedBefore, int limit)
            throws SQLException, StoreException {
        List<BuildId> ids = Sql.list(connection, "SELECT id FROM builds WHERE finished_at < ?"
                        + " AND state IN ('COMPLETE', 'FAILED', 'CANCELLED') ORDER BY finished_at, id LIMIT ?",
                row -> new BuildId(row.getString(1)), finishedBefore, limit);
        if (ids.isEmpty()) {
            return new PrunedRecords(List.of(), 0, 0);
        }
        // The placeholders are built here, the values bound: the SQL text holds no input.
        String in = " IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        Object[] values = ids.stream().map(BuildId::value).toArray();
        long[] log = Sql.first(connection, "SELECT COUNT(*), COALESCE(SUM(" + database.byteLength("line") + "), 0)"
                + " FROM build_logs WHERE build_id" + in, row -> new long[] {row.getLong(1), row.getLong(2)}, values)
                .orElseThrow();
        Sql.update(connection, "UPDATE queue_slots SET build_id = NULL WHERE build_id" + in, values);
        for (String table : CHILDREN) {
            Sql.update(connection, "DELETE FROM " + table + " WHERE build_id" + in, values);
        }
        Sql.update(connection, "DELETE FROM builds WHERE id" + in, values);
        return new PrunedRecords(ids, log[0], log[1]);
    }
}
