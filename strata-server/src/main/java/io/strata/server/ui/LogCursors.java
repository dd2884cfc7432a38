package io.strata.server.ui;

import io.strata.core.build.BuildId;
import io.strata.server.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where each log of a build page stands: the build id of the log (the build's own, or a worker's)
 * and the last sequence the page shows, written {@code ID:SEQ,ID:SEQ}. The page sends them as
 * {@code ?after=}; each log line's event id is the cursors after it, so a reconnecting browser
 * sends back exactly where it stands ({@code Last-Event-ID}) and no line shows twice.
 */
record LogCursors(Map<String, Long> after) {
    static final int MAX_LOGS = 256;

    LogCursors {
        after = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(after));
    }

    static LogCursors parse(String text) throws ApiException {
        Map<String, Long> after = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return new LogCursors(after);
        }
        for (String cursor : text.strip().split(",")) {
            int colon = cursor.indexOf(':');
            String id = colon < 0 ? "" : cursor.substring(0, colon);
            long sequence;
            try {
                sequence = colon < 0 ? -1 : Long.parseLong(cursor.substring(colon + 1));
            } catch (NumberFormatException e) {
                sequence = -1;
            }
            if (!BuildId.isValid(id) || sequence < 0 || after.size() >= MAX_LOGS) {
                String shown = cursor.length() > 60 ? cursor.substring(0, 60) + "..." : cursor;
                throw new ApiException(400, "QUERY_PARAMETER_INVALID", "'" + shown + "' is not a log position",
                        "after must be BUILD_ID:SEQUENCE pairs separated by commas, as the build page sends them");
            }
            after.put(id, sequence);
        }
        return new LogCursors(after);
    }

    String text() {
        StringJoiner joined = new StringJoiner(",");
        after.forEach((id, sequence) -> joined.add(id + ":" + sequence));
        return joined.toString();
    }
}
