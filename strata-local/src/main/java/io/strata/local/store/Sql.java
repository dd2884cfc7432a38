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
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet row = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (row.next()) {
                values.add(mapper.map(row));
            }
            return List.copyOf(values);
        }
    }

    static <T> Optional<T> first(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException, StoreException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(mapper.map(row)) : Optional.empty();
        }
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    /** One statement, run once per parameter row, sent to the database in one round trip. */
    static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] parameters : rows) {
                bind(statement, parameters);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement, parameters);
            return statement;
        } catch (SQLException e) {
            statement.close();
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
