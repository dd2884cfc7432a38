package io.strata.server.ui;

import io.javalin.http.Context;
import io.strata.core.build.BuildState;
import io.strata.core.service.BuildListQuery;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The filters of the builds list as the form sends them ({@code state}, {@code component},
 * {@code user}, {@code after}, {@code before}, {@code limit}, {@code cursor}); times are UTC, either
 * ISO-8601 instants or what a {@code datetime-local} field sends. A value that does not parse is a
 * {@link BadFilter} naming the field, shown on the page.
 */
record ListFilters(Map<String, String> values) {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 200;
    private static final String[] NAMES = {"state", "component", "user", "after", "before", "limit", "cursor"};

    /** A filter value the list cannot use; the message names the field and what it takes. */
    static final class BadFilter extends Exception {
        private static final long serialVersionUID = 1L;

        BadFilter(String message) {
            super(message);
        }
    }

    static ListFilters of(Context ctx) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = ctx.queryParam(name);
            if (value != null && !value.isBlank()) {
                values.put(name, value.strip());
            }
        }
        return new ListFilters(values);
    }

    String get(String name) {
        return values.getOrDefault(name, "");
    }

    BuildListQuery query() throws BadFilter {
        return new BuildListQuery(state(), optional("component"), optional("user"), time("after"), time("before"), limit(),
                optional("cursor"));
    }

    private Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    private Optional<BuildState> state() throws BadFilter {
        String value = get("state");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildState.valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new BadFilter("state '" + shorten(value) + "' is not a build state; choose one of the list");
        }
    }

    private Optional<Instant> time(String name) throws BadFilter {
        String value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw new BadFilter(name + " '" + shorten(value) + "' is not a time; use 2026-12-01T10:00 (UTC)");
            }
        }
    }

    private int limit() throws BadFilter {
        String value = get("limit");
        if (value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadFilter("limit '" + shorten(value) + "' is not a page size; use 1 to " + MAX_LIMIT);
    }

    /** These filters as a query string ({@code ?a=b&...}, empty when none), without the cursor unless asked. */
    String queryString(boolean withCursor, Optional<String> cursor) {
        StringBuilder query = new StringBuilder();
        values.forEach((name, value) -> {
            if (!name.equals("cursor")) {
                append(query, name, value);
            }
        });
        if (withCursor) {
            cursor.or(() -> optional("cursor")).ifPresent(c -> append(query, "cursor", c));
        }
        return query.toString();
    }

    private static void append(StringBuilder query, String name, String value) {
        query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
