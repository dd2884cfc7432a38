package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepared statements without the ceremony: bind parameters in order, map each row. Instants are
 * bound as UTC timestamps with microsecond precision ({@link Timestamps}); everything else as the
 * driver binds it. SQL text is always a literal of this package, never built from input.
 */
final class Sql {

    /** Turns the current row into a value. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException, StoreException;
    }

    private Sql() {}

    static <T> List<T> list(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException, StoreException {
        PreparedStatement statement = prepare(connection, sql, parameters);
        try (ResultSet row = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (row.next()) {
                values.add(mapper.map(row));
            }
            return List.copyOf(values);
        } finally {
            StatementCache.release(connection, sql, statement);
        }
    }

    static <T> Optional<T> first(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException, StoreException {
        PreparedStatement statement = prepare(connection, sql, parameters);
        try (ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(mapper.map(row)) : Optional.empty();
        } finally {
            StatementCache.release(connection, sql, statement);
        }
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepare(connection, sql, parameters);
        try {
            return statement.executeUpdate();
        } finally {
            StatementCache.release(connection, sql, statement);
        }
    }

    /** One statement, run once per parameter row, sent to the database in one round trip. */
    static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        PreparedStatement statement = StatementCache.prepare(connection, sql);
        try {
            for (Object[] parameters : rows) {
                bind(statement, parameters);
                statement.addBatch();
            }
            statement.executeBatch();
        } finally {
            // A batch that failed half-way must not be sent again with the next use.
            statement.clearBatch();
            StatementCache.release(connection, sql, statement);
        }
    }

    /** A prepared statement (kept per connection on SQLite, {@link StatementCache}) with its parameters bound. */
    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = StatementCache.prepare(connection, sql);
        try {
            bind(statement, parameters);
            return statement;
        } catch (SQLException e) {
            StatementCache.release(connection, sql, statement);
            throw e;
        }
    }

    /**
     * Instants go in as text typed OTHER: PostgreSQL then infers the column's timestamp type and
     * casts, SQLite stores the text ({@link Timestamps}).
     */
    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof Instant instant) {
                statement.setObject(i + 1, Timestamps.column(instant), Types.OTHER);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }
}
