package io.strata.local.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Instants in and out of timestamp columns. Both databases keep microseconds, so the store
 * truncates to microseconds before writing: a record it returns equals the one it reads back.
 *
 * <p>An instant is bound as fixed-width ISO-8601 text in UTC ({@code 2026-11-22T10:00:00.123456Z}).
 * PostgreSQL casts it into its TIMESTAMP WITH TIME ZONE column; SQLite, which has no time type,
 * keeps the text, and the fixed width makes text order time order, so ORDER BY works on both.
 */
final class Timestamps {
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {}

    static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The value to bind; see {@link Sql} for how it is typed. */
    static String column(Instant instant) {
        return TEXT.format(stored(instant));
    }

    static Instant get(ResultSet row, String column) throws SQLException {
        return getOptional(row, column).orElseThrow(() -> new SQLException("column " + column + " is null"));
    }

    static Optional<Instant> getOptional(ResultSet row, String column) throws SQLException {
        Object value = row.getObject(column);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(Instant.parse(text));
        }
        return Optional.of(row.getObject(column, OffsetDateTime.class).toInstant());
    }
}
