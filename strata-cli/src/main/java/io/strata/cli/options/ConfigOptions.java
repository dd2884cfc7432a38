package io.strata.cli.options;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigProblem;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import io.strata.cli.StrataEnvironment;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE} and {@code --instance NAME}, shared by every command that reads the
 * osbs.conf-style configuration. Warnings go to stderr as {@code strata: warning: file:line: ...}.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "osbs.conf-style configuration file (default: $STRATA_CONFIG, else /etc/osbs.conf if present).")
    Path configFile;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "Instance section of the configuration to use (default: $STRATA_INSTANCE, else 'default').")
    String instance;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the configuration comes from: these flags over the command line's environment. */
    public ConfigSource source() {
        ConfigSource source = StrataEnvironment.of(command).configSource();
        source = Optional.ofNullable(configFile).map(source::withConfigFile).orElse(source);
        return Optional.ofNullable(instance).map(source::withInstance).orElse(source);
    }

    /** Loads the configuration, printing its warnings to {@code err}. */
    public LoadedConfig load(PrintWriter err) throws ConfigException {
        try {
            LoadedConfig loaded = ConfigLoader.load(source());
            printWarnings(loaded.warnings(), err);
            return loaded;
        } catch (ConfigException e) {
            // An unknown key is often why a needed value is missing: show the warnings before the error.
            printWarnings(e.warnings(), err);
            throw e;
        }
    }

    private static void printWarnings(List<ConfigProblem> warnings, PrintWriter err) {
        for (ConfigProblem warning : warnings) {
            err.println("strata: warning: " + warning.describe());
        }
        err.flush();
    }
}
