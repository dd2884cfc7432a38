package io.strata.cli.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON the build commands print with --json: the store's records as they are, snake_case
 * names (as osbs-client users know them: git_uri, koji_task_id, ...), ISO-8601 times. The
 * configuration snapshot in a record never holds secrets: they are removed before it is stored.
 */
final class RecordJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private RecordJson() {}

    static String write(Object value) {
        return write(value, true);
    }

    /** One line, for streams of records (JSON lines). */
    static String writeCompact(Object value) {
        return write(value, false);
    }

    private static String write(Object value, boolean indent) {
        try {
            return indent ? MAPPER.writeValueAsString(value)
                    : MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
