package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.store.BuildLease;
import io.strata.core.store.LeaseOwner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code build_leases} table, inside transactions {@link JdbcBuildStore} runs (writers hold the build's row). */
final class LeaseRows {
    private static final String COLUMNS = "build_id, owner_id, host, pid, owner_started_at, workspace, process_group,"
            + " heartbeat_at, cancel_requested_at";

    private LeaseRows() {}

    static Optional<BuildLease> find(Connection connection, BuildId id) throws SQLException, io.strata.core.store.StoreException {
        return Sql.first(connection, "SELECT " + COLUMNS + " FROM build_leases WHERE build_id = ?", LeaseRows::lease,
                id.value());
    }

    static List<BuildLease> all(Connection connection) throws SQLException, io.strata.core.store.StoreException {
        return Sql.list(connection, "SELECT " + COLUMNS + " FROM build_leases ORDER BY build_id", LeaseRows::lease);
    }

    static void put(Connection connection, BuildId id, LeaseOwner owner, String workspace, Instant now)
            throws SQLException {
        delete(connection, id);
        Sql.update(connection, "INSERT INTO build_leases (build_id, owner_id, host, pid, owner_started_at, workspace,"
                        + " heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id.value(), owner.id(), owner.host(), owner.pid(), owner.startedAt().orElse(null), workspace, now);
    }

    /** False when the build has no lease of this owner. */
    static boolean beat(Connection connection, BuildId id, String ownerId, OptionalLong processGroup, Instant now)
            throws SQLException {
        return Sql.update(connection,
                "UPDATE build_leases SET heartbeat_at = ?, process_group = ? WHERE build_id = ? AND owner_id = ?",
                now, processGroup.isPresent() ? processGroup.getAsLong() : null, id.value(), ownerId) == 1;
    }

    static boolean requestCancel(Connection connection, BuildId id, Instant now) throws SQLException {
        return Sql.update(connection, "UPDATE build_leases SET cancel_requested_at = COALESCE(cancel_requested_at, ?)"
                + " WHERE build_id = ?", now, id.value()) == 1;
    }

    static void delete(Connection connection, BuildId id) throws SQLException {
        Sql.update(connection, "DELETE FROM build_leases WHERE build_id = ?", id.value());
    }

    private static BuildLease lease(ResultSet row) throws SQLException {
        long group = row.getLong("process_group");
        OptionalLong processGroup = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(group);
        return new BuildLease(new BuildId(row.getString("build_id")),
                new LeaseOwner(row.getString("owner_id"), row.getString("host"), row.getLong("pid"),
                        Timestamps.getOptional(row, "owner_started_at")),
                row.getString("workspace"), processGroup, Timestamps.get(row, "heartbeat_at"),
                Timestamps.getOptional(row, "cancel_requested_at").isPresent());
    }
}
