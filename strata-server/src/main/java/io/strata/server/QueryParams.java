package io.strata.server;

import io.javalin.http.Context;
import io.strata.core.build.BuildState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Query parameters (and Last-Event-ID) read strictly: a value that does not parse is a 400 naming it. */
final class QueryParams {
    private QueryParams() {}

    static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
    }

    static Optional<Integer> integer(Context ctx, String name) throws ApiException {
        Optional<String> value = text(ctx, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.get().strip()));
        } catch (NumberFormatException e) {
            throw invalid(name, value.get(), "a whole number");
        }
    }

    static Optional<Instant> instant(Context ctx, String name) throws ApiException {
        Optional<String> value = text(ctx, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.get().strip()));
        } catch (DateTimeParseException e) {
            throw invalid(name, value.get(), "an ISO-8601 UTC time such as 2026-12-01T10:00:00Z");
        }
    }

    static Optional<BuildState> state(Context ctx, String name) throws ApiException {
        Optional<String> value = text(ctx, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildState.valueOf(value.get().strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw invalid(name, value.get(), "one of " + Arrays.toString(BuildState.values()));
        }
    }

    /**
     * Where a stream resumes: {@code ?after=N}, else the {@code Last-Event-ID} header a reconnecting
     * EventSource sends, else 0 (from the start).
     */
    static long resumeAfter(Context ctx) throws ApiException {
        Optional<String> value = text(ctx, "after").or(() -> Optional.ofNullable(ctx.header("Last-Event-ID")));
        if (value.isEmpty() || value.get().isBlank()) {
            return 0;
        }
        try {
            long after = Long.parseLong(value.get().strip());
            if (after < 0) {
                throw invalid("after", value.get(), "a sequence number, 0 or more");
            }
            return after;
        } catch (NumberFormatException e) {
            throw invalid("after", value.get(), "a sequence number, 0 or more");
        }
    }

    private static ApiException invalid(String name, String value, String expected) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return new ApiException(400, ServerReasons.QUERY_PARAMETER_INVALID,
                "'" + shown + "' is not a valid " + name, name + " must be " + expected);
    }
}
