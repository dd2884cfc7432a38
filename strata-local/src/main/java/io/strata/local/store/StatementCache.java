package io.strata.local.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept per pooled SQLite connection, by SQL text: the store runs the same few
 * dozen statements over and over, and preparing one (parsing and planning it) cost a fifth of
 * the group commit writer's time. Only connections the pool registers keep statements; they are
 * closed with their connection ({@link #forget}). A connection is used by one thread at a time
 * (the pool lends it out), so its own map needs no lock. Not used on PostgreSQL: a fleet member's
 * server-side prepared statements could outlive a schema change another member migrates.
 */
final class StatementCache {
    private static final Map<Connection, Kept> BY_CONNECTION = new ConcurrentHashMap<>();

    /** A connection's statements, and those of them in use right now (a reader nests the same query). */
    private record Kept(Map<String, PreparedStatement> bySql, Set<PreparedStatement> inUse) {}

    private StatementCache() {}

    /** From now on, statements of this connection are kept until {@link #forget}. */
    static void keepFor(Connection connection) {
        BY_CONNECTION.put(connection, new Kept(new HashMap<>(), Collections.newSetFromMap(new IdentityHashMap<>())));
    }

    /** Closes the connection's kept statements; call before closing the connection. */
    static void forget(Connection connection) {
        Kept kept = BY_CONNECTION.remove(connection);
        if (kept == null) {
            return;
        }
        for (PreparedStatement statement : kept.bySql().values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // The connection is being closed, and its statements with it.
            }
        }
    }

    /**
     * The kept statement for this SQL, prepared on first use; a new one (closed on release) for an
     * unregistered connection, or when the kept one is in use (a query run again while reading its rows).
     */
    static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        Kept kept = BY_CONNECTION.get(connection);
        if (kept == null) {
            return connection.prepareStatement(sql);
        }
        PreparedStatement statement = kept.bySql().get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            kept.bySql().put(sql, statement);
        } else if (kept.inUse().contains(statement)) {
            return connection.prepareStatement(sql);
        }
        kept.inUse().add(statement);
        return statement;
    }

    /** Done with a statement from {@link #prepare} of this SQL: closed unless it is kept (every use binds all its parameters). */
    static void release(Connection connection, String sql, PreparedStatement statement) throws SQLException {
        Kept kept = BY_CONNECTION.get(connection);
        if (kept != null && kept.bySql().get(sql) == statement) {
            kept.inUse().remove(statement);
        } else {
            statement.close();
        }
    }
}
