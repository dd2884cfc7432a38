package io.strata.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything {@link ConfigLoader} reads from: the file named on the command line (if any), the
 * instance asked for, command-line overrides, the environment and the user's home. Passing the
 * environment in (rather than reading {@code System.getenv()} deep inside) keeps loading testable;
 * the command line reads it once (its {@code StrataEnvironment}) and tests build their own.
 *
 * @param configFile        {@code --config FILE}; wins over {@code $STRATA_CONFIG} and the default file
 * @param instance          {@code --instance NAME}; wins over {@code $STRATA_INSTANCE}, default {@code default}
 * @param overrides         command-line values by key name; they win over everything else
 * @param environment       the process environment ({@code STRATA_*} variables are read)
 * @param defaultConfigFile read when no file is named; absent is fine ({@code /etc/osbs.conf})
 * @param userHome          for the default {@code strata_home}
 */
public record ConfigSource(Optional<Path> configFile, Optional<String> instance, Map<String, String> overrides,
                           Map<String, String> environment, Path defaultConfigFile, Path userHome) {

    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/osbs.conf");
    public static final String DEFAULT_INSTANCE = "default";
    public static final String CONFIG_FILE_VARIABLE = "STRATA_CONFIG";
    public static final String INSTANCE_VARIABLE = "STRATA_INSTANCE";

    public ConfigSource {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(instance, "instance");
        overrides = Map.copyOf(new TreeMap<>(overrides));
        environment = Map.copyOf(environment);
        Objects.requireNonNull(defaultConfigFile, "defaultConfigFile");
        Objects.requireNonNull(userHome, "userHome");
    }

    public ConfigSource withConfigFile(Path file) {
        return new ConfigSource(Optional.of(file), instance, overrides, environment, defaultConfigFile, userHome);
    }

    public ConfigSource withInstance(String name) {
        return new ConfigSource(configFile, Optional.of(name), overrides, environment, defaultConfigFile, userHome);
    }

    /** Adds a command-line value for {@code key} (an osbs.conf key name). */
    public ConfigSource withOverride(String key, String value) {
        Map<String, String> more = new TreeMap<>(overrides);
        more.put(key, value);
        return new ConfigSource(configFile, instance, more, environment, defaultConfigFile, userHome);
    }

    public ConfigSource withEnvironment(Map<String, String> env) {
        return new ConfigSource(configFile, instance, overrides, env, defaultConfigFile, userHome);
    }

    /** The instance to read: flag, then {@code $STRATA_INSTANCE}, then {@code default}. */
    public String instanceName() {
        return instance.or(() -> Optional.ofNullable(environment.get(INSTANCE_VARIABLE)).filter(s -> !s.isBlank()))
                .orElse(DEFAULT_INSTANCE);
    }

    /** Whether the user named the instance (then a missing section is an error, not a warning). */
    public boolean instanceNamed() {
        return instance.isPresent() || !environment.getOrDefault(INSTANCE_VARIABLE, "").isBlank();
    }
}
