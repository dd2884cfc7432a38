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
 */
public record PlatformConfig(String name, Optional<String> architecture, boolean enableV1, Map<String, String> nodeSelector) {

    public PlatformConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        nodeSelector = Map.copyOf(nodeSelector);
    }
}
