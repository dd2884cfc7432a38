package io.strata.local.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.strata.core.build.BuildId;
import io.strata.core.build.ImageOutput;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.StoreException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON documents kept in text columns: the request, the configuration snapshot and each image
 * output. Their stored shapes are the domain records' own, in snake_case, so no separate wire
 * classes are needed yet; when a record changes shape, a wire class goes here. Unknown fields are
 * ignored on reading so that an older Strata can read what a newer one wrote to a shared database.
 */
final class StoreJson {
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};

    /**
     * One mapper for every store this JVM opens (it is thread-safe once built): a build daemon opens the store for
     * each command, and a mapper of its own per store cost each command 10-15 ms of CPU setting up the same readers
     * and writers again (a profile of the daemon, docs/benchmarks.md "Whole CLI", fourteenth pass).
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Readers and writers bound to their type once: looking the type up on every call showed in profiles. */
    private static final ObjectReader REQUEST_READER = MAPPER.readerFor(BuildRequest.class);
    private static final ObjectWriter REQUEST_WRITER = MAPPER.writerFor(BuildRequest.class);
    private static final ObjectReader CONFIG_READER = MAPPER.readerFor(STRING_MAP);

    /** Writes a request and drops the text: the writer's set-up done ahead of the first real write. */
    void warmUp() {
        try {
            request(BuildRequest.builder().component("warm-up").gitUri("https://localhost/warm-up.git").gitRef("main")
                    .build());
        } catch (RuntimeException e) {
            // Only a head start: the first real write does the set-up itself and reports what fails there.
        }
    }

    String request(BuildRequest request) {
        try {
            return REQUEST_WRITER.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last snapshot written and its text: a service stores the same snapshot with every build. */
    private volatile WrittenConfig lastConfig = new WrittenConfig(Map.of(), write(new TreeMap<>()));

    private record WrittenConfig(Map<String, String> snapshot, String json) {}

    /** Sorted by key, so that the same snapshot is always stored as the same text. */
    String config(Map<String, String> snapshot) {
        WrittenConfig last = lastConfig;
        // The same snapshot (a service's masked configuration, which does not change): its text again.
        // Compared by value, so a caller's map changed since cannot get a stale text.
        if (last.snapshot().equals(snapshot)) {
            return last.json();
        }
        TreeMap<String, String> sorted = new TreeMap<>(snapshot);
        String text = write(sorted);
        lastConfig = new WrittenConfig(java.util.Collections.unmodifiableMap(sorted), text);
        return text;
    }

    String output(ImageOutput output) {
        return write(output);
    }

    BuildRequest request(BuildId id, String json) throws StoreException {
        try {
            return REQUEST_READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw corrupt(id, "request", e);
        }
    }

    Map<String, String> config(BuildId id, String json) throws StoreException {
        try {
            return CONFIG_READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw corrupt(id, "configuration snapshot", e);
        }
    }

    ImageOutput output(BuildId id, String json) throws StoreException {
        return read(id, "image output", json, ImageOutput.class);
    }

    private <T> T read(BuildId id, String what, String json, Class<T> type) throws StoreException {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw corrupt(id, what, e);
        }
    }

    private String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Records of strings, numbers and collections always serialise; this is a programming error.
            throw new UncheckedIOException(e);
        }
    }

    private static StoreException corrupt(BuildId id, String what, JsonProcessingException e) {
        return new StoreException(StoreReasons.STORE_CORRUPT,
                "the stored " + what + " of build " + id + " cannot be read: " + e.getOriginalMessage(),
                "the database was changed outside Strata or by an incompatible version; see docs/store.md", e);
    }
}
