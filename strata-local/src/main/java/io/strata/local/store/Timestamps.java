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
        long seconds = instant.getEpochSecond();
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return TEXT.format(stored(instant));
        }
        // Written by hand like parse: a formatter per bound instant showed in the writer's profile.
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        char[] text = new char[FIXED_WIDTH];
        put(text, 0, 4, date.getYear());
        text[4] = '-';
        put(text, 5, 7, date.getMonthValue());
        text[7] = '-';
        put(text, 8, 10, date.getDayOfMonth());
        text[10] = 'T';
        put(text, 11, 13, secondOfDay / 3600);
        text[13] = ':';
        put(text, 14, 16, secondOfDay / 60 % 60);
        text[16] = ':';
        put(text, 17, 19, secondOfDay % 60);
        text[19] = '.';
        put(text, 20, 26, instant.getNano() / 1000);
        text[26] = 'Z';
        return new String(text);
    }

    /** {@code value} in decimal, zero-padded to fill {@code text[from, to)}. */
    private static void put(char[] text, int from, int to, int value) {
        for (int i = to - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The text this class writes, read without a formatter: the queue is read on every pass of the
     * scheduler, and a general ISO-8601 parse of its timestamps was the largest part of the CPU a
     * build cost the store (docs/benchmarks.md, "The queue"). Any other shape goes to
     * {@link Instant#parse}.
     */
    static Instant parse(String text) {
        if (text.length() != FIXED_WIDTH || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(26) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int micros = digits(text, 20, 26);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || micros < 0) {
            return Instant.parse(text);
        }
        // LocalDate checks the ranges (a 13th month, a 30th of February) as Instant.parse would.
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        if (hour > 23 || minute > 59 || second > 59) {
            return Instant.parse(text);
        }
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, micros * 1000L);
    }

    private static final int FIXED_WIDTH = "2026-11-22T10:00:00.123456Z".length();

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
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
            return Optional.of(parse(text));
        }
        return Optional.of(row.getObject(column, OffsetDateTime.class).toInstant());
    }
}
