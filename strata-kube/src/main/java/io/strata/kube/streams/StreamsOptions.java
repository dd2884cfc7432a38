package io.strata.kube.streams;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What to generate.
 *
 * @param streams      stream names to render, in order; empty means every stream of streams.yml,
 *                     which is also the only case that produces the DaemonSet
 * @param liveTestMode suffix the group label and image stream tags with {@code .test} so the objects
 *                     can be exercised on a live cluster without feeding CI
 */
public record StreamsOptions(List<String> streams, boolean liveTestMode) {

    public StreamsOptions {
        Objects.requireNonNull(streams, "streams");
        // Naming a stream twice must not produce two identical BuildConfigs.
        streams = List.copyOf(new LinkedHashSet<>(streams));
    }

    public static StreamsOptions allStreams() {
        return new StreamsOptions(List.of(), false);
    }

    public boolean allStreamsRequested() {
        return streams.isEmpty();
    }
}
