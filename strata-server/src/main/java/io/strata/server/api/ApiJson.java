package io.strata.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON of the build service and of {@code strata ... --json}: the store's records as they are,
 * snake_case names (as osbs-client users know them: git_uri, koji_task_id, ...), ISO-8601 times.
 * One mapper for both sides, so {@code GET /api/v1/builds/{id}} and {@code strata get-build --json}
 * print the same document, and the CLI reads back exactly what the server wrote. Unknown fields are
 * errors when reading: a misspelt field of a request is refused, never silently ignored. Map keys
 * are written sorted, so a record is the same text in every process.
 */
public final class ApiJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Records hold Map.copyOf maps, whose order changes from one JVM to the next: sorted keys
            // make the same record the same text in every process (server and CLI alike).
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ApiJson() {}

    /** Indented, as the CLI prints a record. */
    public static String write(Object value) {
        return write(value, true);
    }

    /** One line, for streams (JSON lines, Server-Sent Events). */
    public static String writeCompact(Object value) {
        return write(value, false);
    }

    private static String write(Object value, boolean indent) {
        try {
            return indent ? MAPPER.writeValueAsString(value)
                    : MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
