package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The {@code queue_drains} table (V6), inside transactions {@link JdbcBuildStore} runs. */
final class QueueDrains {
    private QueueDrains() {}

    /** Drains the engine or platform; false when it was drained already (the first drain's time and user stay). */
    static boolean put(Connection connection, String scope, String name, Instant at, String by) throws SQLException {
        return Sql.update(connection, "INSERT INTO queue_drains (scope, name, drained_at, drained_by) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", scope, name, at, by) > 0;
    }

    static boolean delete(Connection connection, String scope, String name) throws SQLException {
        return Sql.update(connection, "DELETE FROM queue_drains WHERE scope = ? AND name = ?", scope, name) > 0;
    }

    static List<QueueDrain> all(Connection connection) throws SQLException, StoreException {
        return Sql.list(connection, "SELECT scope, name, drained_at, drained_by FROM queue_drains ORDER BY scope, name",
                row -> new QueueDrain(row.getString("scope"), row.getString("name"), Timestamps.get(row, "drained_at"),
                        row.getString("drained_by")));
    }

    /** Whether a build of this engine and platform must wait: either is drained. */
    static boolean drained(Connection connection, String engine, String platform) throws SQLException, StoreException {
        return Sql.first(connection, "SELECT 1 FROM queue_drains WHERE (scope = ? AND name = ?) OR (scope = ? AND name = ?)",
                row -> true, QueueSlots.ENGINE, engine, QueueSlots.PLATFORM, platform).isPresent();
    }
}
