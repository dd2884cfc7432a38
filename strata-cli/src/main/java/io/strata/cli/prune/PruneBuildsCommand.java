package io.strata.cli.prune;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.local.ops.BuildPruner;
import io.strata.local.ops.OperatorDuration;
import io.strata.local.ops.PruneReport;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.server.api.ApiJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata prune-builds --keep-younger-than 720h}: removes finished builds older than that
 * (records, logs, workspaces, secret files, and the images they left in buildah's storage unless a
 * container uses one) and prints what it freed. Runs on the store and the Strata home of this
 * machine; {@code strata serve} does the same on a schedule (strata_prune_interval).
 */
@Command(name = "prune-builds", mixinStandardHelpOptions = true,
        description = "Remove finished builds older than a duration: records, logs, workspaces, secrets, images.")
public final class PruneBuildsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--keep-younger-than", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep builds that finished less than this long ago: a number and ms, s, m, h or d, e.g. 720h.")
    Duration keep;

    @Option(names = "--json", description = "Print what was freed as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = configOptions.load(spec.commandLine().getErr()).config();
        try (JdbcBuildStore store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty())) {
            PruneReport report = BuildPruner.of(store, config, System.err).prune(keep);
            out.println(json ? ApiJson.write(report) : report.summary());
            out.flush();
            return 0;
        }
    }

    /** A bad duration is bad usage: one message, exit 2. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return OperatorDuration.parse(value, "--keep-younger-than");
            } catch (StrataException e) {
                throw new CommandLine.TypeConversionException(e.getMessage() + "; " + e.hint());
            }
        }
    }
}
