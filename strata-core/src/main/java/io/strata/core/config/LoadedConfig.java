package io.strata.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A usable configuration and the warnings found while reading it (unknown keys, deprecated
 * spellings, keys in the wrong section). Front ends print the warnings; nothing is dropped silently.
 */
public record LoadedConfig(Configuration config, List<ConfigProblem> warnings) {
    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
