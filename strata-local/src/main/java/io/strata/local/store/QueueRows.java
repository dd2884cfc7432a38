package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.store.QueueEntry;
import io.strata.core.store.QueuedBuild;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code build_queue} table, inside transactions {@link JdbcBuildStore} runs (writers hold the build's row). */
final class QueueRows {
    private static final String SELECT = "SELECT q.build_id, b.state, q.engine, q.platform, q.priority, q.max_attempts,"
            + " q.enqueued_at, q.not_before, q.attempts, q.fencing_token, q.claimed_at"
            + " FROM build_queue q JOIN builds b ON b.id = q.build_id";

    private QueueRows() {}

    static void insert(Connection connection, BuildId id, QueueEntry entry, Instant now) throws SQLException {
        Sql.update(connection, "INSERT INTO build_queue (build_id, engine, platform, priority, enqueued_at, not_before,"
                        + " max_attempts) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id.value(), entry.engine(), entry.platform(), entry.priority(), now, now, entry.maxAttempts());
    }

    /** Highest priority first, then the oldest; the id breaks ties of the same microsecond. */
    static List<QueuedBuild> all(Connection connection) throws SQLException, StoreException {
        return Sql.list(connection, SELECT + " ORDER BY q.priority DESC, q.enqueued_at, q.build_id", QueueRows::queued);
    }

    /** The PENDING builds of an engine due at {@code now}, in the order of {@link #all}, at most {@code limit}. */
    static List<QueuedBuild> due(Connection connection, String engine, Instant now, int limit)
            throws SQLException, StoreException {
        return Sql.list(connection, SELECT + " WHERE b.state = 'PENDING' AND q.engine = ? AND q.not_before <= ?"
                + " ORDER BY q.priority DESC, q.enqueued_at, q.build_id LIMIT ?", QueueRows::queued, engine, now, limit);
    }

    static Optional<QueuedBuild> find(Connection connection, BuildId id) throws SQLException, StoreException {
        return Sql.first(connection, SELECT + " WHERE q.build_id = ?", QueueRows::queued, id.value());
    }

    /** The build's current fencing token; empty when it is not in the queue. */
    static Optional<Long> fencingToken(Connection connection, BuildId id) throws SQLException, StoreException {
        return Sql.first(connection, "SELECT fencing_token FROM build_queue WHERE build_id = ?", row -> row.getLong(1),
                id.value());
    }

    /** Queued builds per engine and platform, PENDING and RUNNING. */
    static List<QueueCount> counts(Connection connection) throws SQLException, StoreException {
        return Sql.list(connection, "SELECT q.engine, q.platform,"
                        + " SUM(CASE WHEN b.state = 'PENDING' THEN 1 ELSE 0 END) AS pending,"
                        + " SUM(CASE WHEN b.state = 'RUNNING' THEN 1 ELSE 0 END) AS running"
                        + " FROM build_queue q JOIN builds b ON b.id = q.build_id GROUP BY q.engine, q.platform"
                        + " ORDER BY q.engine, q.platform",
                row -> new QueueCount(row.getString("engine"), row.getString("platform"), row.getInt("pending"),
                        row.getInt("running")));
    }

    static int pending(Connection connection) throws SQLException, StoreException {
        return Sql.first(connection, "SELECT COUNT(*) FROM build_queue q JOIN builds b ON b.id = q.build_id"
                + " WHERE b.state = 'PENDING'", row -> row.getInt(1)).orElseThrow();
    }

    /**
     * Refuses a new build (QUEUE_FULL) when {@code maxPending} builds wait already; run in the
     * transaction that inserts it. The count and the insert must not interleave with another
     * admission: on SQLite the writer's BEGIN IMMEDIATE serialises them already, on PostgreSQL
     * they take a transaction-scoped advisory lock of their own first (held until the insert
     * commits, so the next admission, in any fleet member, counts it). Only admissions take it;
     * claims and ends never wait for it. PENDING is a queue row not claimed (claimed_at NULL, V9's
     * partial index), counted only up to the bound.
     */
    static void admit(Connection connection, Database database, int maxPending) throws SQLException, StoreException {
        if (database == Database.POSTGRESQL) {
            Sql.first(connection, "SELECT pg_advisory_xact_lock(?)", row -> true, ADMISSION_LOCK);
        }
        int waiting = Sql.first(connection, "SELECT COUNT(*) FROM (SELECT 1 FROM build_queue WHERE claimed_at IS NULL"
                + " LIMIT ?) w", row -> row.getInt(1), maxPending).orElseThrow();
        if (waiting >= maxPending) {
            throw new StoreException(io.strata.core.service.OperationsReasons.QUEUE_FULL, waiting
                    + " builds wait in the queue already, the most it takes (strata_queue_max_pending = " + maxPending + ")",
                    "submit again when builds have started; an operator may raise strata_queue_max_pending");
        }
    }

    /** The key of the admission's advisory lock on PostgreSQL ("strata-q" in ASCII); nothing else takes it. */
    private static final long ADMISSION_LOCK = 0x7374726174612d71L;

    static long claim(Connection connection, BuildId id, Instant now) throws SQLException, StoreException {
        Sql.update(connection, "UPDATE build_queue SET attempts = attempts + 1, fencing_token = fencing_token + 1,"
                + " claimed_at = ? WHERE build_id = ?", now, id.value());
        return Sql.first(connection, "SELECT fencing_token FROM build_queue WHERE build_id = ?",
                row -> row.getLong(1), id.value()).orElseThrow();
    }

    static void release(Connection connection, BuildId id, Instant notBefore) throws SQLException {
        Sql.update(connection, "UPDATE build_queue SET claimed_at = NULL, not_before = ? WHERE build_id = ?",
                notBefore, id.value());
    }

    static void delete(Connection connection, BuildId id) throws SQLException {
        Sql.update(connection, "DELETE FROM build_queue WHERE build_id = ?", id.value());
    }

    private static QueuedBuild queued(ResultSet row) throws SQLException {
        return new QueuedBuild(new BuildId(row.getString("build_id")), BuildState.valueOf(row.getString("state")),
                new QueueEntry(row.getString("engine"), row.getString("platform"), row.getInt("priority"),
                        row.getInt("max_attempts")),
                Timestamps.get(row, "enqueued_at"), Timestamps.get(row, "not_before"), row.getInt("attempts"),
                row.getLong("fencing_token"), Timestamps.getOptional(row, "claimed_at"));
    }
}
