package io.strata.kube.streams;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The streams of a group's {@code streams.yml}, by name, in file order.
 *
 * @param source where they were read from, for messages
 */
public record StreamsConfig(Path source, Map<String, StreamDefinition> streams) {

    public StreamsConfig {
        Objects.requireNonNull(source, "source");
        streams = Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }

    public List<String> names() {
        return List.copyOf(streams.keySet());
    }

    public Optional<StreamDefinition> find(String name) {
        return Optional.ofNullable(streams.get(name));
    }
}
