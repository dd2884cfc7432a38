package io.strata.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code [platform:NAME]} section plus the instance's {@code node_selector.NAME} key.
 *
 * @param name         the Koji platform name, e.g. {@code x86_64}
 * @param architecture the GOARCH-style name the platform's images carry, e.g. {@code amd64}
 * @param enableV1     whether registry API v1 is pushed for this platform (osbs-client compatibility)
 * @param nodeSelector where this platform's worker builds are scheduled; empty for anywhere
 * @param maxConcurrentBuilds how many queued builds of this platform may run at once (the queue's limit)
 */
public record PlatformConfig(String name, Optional<String> architecture, boolean enableV1, Map<String, String> nodeSelector,
        java.util.OptionalInt maxConcurrentBuilds) {

    public PlatformConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(maxConcurrentBuilds, "maxConcurrentBuilds");
        nodeSelector = Map.copyOf(nodeSelector);
    }

    /** A platform without a concurrency limit of its own. */
    public PlatformConfig(String name, Optional<String> architecture, boolean enableV1, Map<String, String> nodeSelector) {
        this(name, architecture, enableV1, nodeSelector, java.util.OptionalInt.empty());
    }
}
