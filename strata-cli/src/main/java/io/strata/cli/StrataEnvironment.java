package io.strata.cli;

import io.strata.core.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the command line reads from outside its arguments: environment variables ({@code STRATA_*},
 * {@code KUBECONFIG}, ...), the default configuration file and the user's home. It is read once, in
 * {@link StrataCommand#main}, and handed down; no other code reads {@code System.getenv()} (an
 * ArchUnit rule holds that), so a test runs the real command line on an environment it built from
 * scratch and can never reach the user's store or configuration.
 *
 * @param variables         the environment variables the command may read
 * @param defaultConfigFile read when neither {@code --config} nor {@code $STRATA_CONFIG} names a file
 * @param userHome          for the default {@code strata_home} and {@code ~/.kube/config}
 */
public record StrataEnvironment(Map<String, String> variables, Path defaultConfigFile, Path userHome) {
    public StrataEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(defaultConfigFile, "defaultConfigFile");
        Objects.requireNonNull(userHome, "userHome");
    }

    /**
     * This process's environment: the one place Strata reads {@code System.getenv()}. The home is
     * {@code $HOME} as the shell has it (Java's {@code user.home} comes from the password database and
     * ignores it), so whoever starts Strata with another HOME gets another default store.
     */
    public static StrataEnvironment ofThisProcess() {
        Map<String, String> variables = System.getenv();
        Path home = Optional.ofNullable(variables.get("HOME")).filter(h -> !h.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home")));
        return new StrataEnvironment(variables, ConfigSource.DEFAULT_CONFIG_FILE, home);
    }

    /** The environment of the command line {@code spec} belongs to. */
    public static StrataEnvironment of(CommandSpec spec) {
        return spec.root().userObject() instanceof StrataCommand root ? root.environment() : ofThisProcess();
    }

    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    /** The configuration sources of this environment, before any flag is applied. */
    public ConfigSource configSource() {
        return new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), variables, defaultConfigFile, userHome);
    }
}
