package io.strata.kube.engine;

import io.strata.core.config.Configuration;
import io.strata.core.config.PlatformConfig;
import java.util.Map;
import java.util.Optional;

/** The {@code kubernetes.io/arch} of a platform: its section's {@code architecture}, else the usual Koji-to-Go names. */
final class Architectures {
    static final Map<String, String> DEFAULTS = Map.of("x86_64", "amd64", "aarch64", "arm64", "ppc64le", "ppc64le", "s390x", "s390x");

    private Architectures() {}

    static String of(String platform, Configuration config) {
        return Optional.ofNullable(config.platforms().get(platform)).flatMap(PlatformConfig::architecture)
                .orElse(DEFAULTS.getOrDefault(platform, platform));
    }
}
