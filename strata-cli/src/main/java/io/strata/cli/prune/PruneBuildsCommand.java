package io.strata.cli.prune;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.RemoteBuildService;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.local.ops.BuildPruner;
import io.strata.local.ops.OperatorDuration;
import io.strata.local.ops.PruneReport;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.server.api.ApiJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * machine, or with {@code --server} on the build service's ({@code POST /api/v1/prune}, admins);
 * {@code strata serve} does the same on a schedule (strata_prune_interval).
 */
@Command(name = "prune-builds", mixinStandardHelpOptions = true,
        description = "Remove finished builds older than a duration: records, logs, workspaces, secrets, images.")
public final class PruneBuildsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions server;

    @Option(names = "--keep-younger-than", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep builds that finished less than this long ago: a number and ms, s, m, h or d, e.g. 720h.")
    Keep keep;

    @Option(names = "--json", description = "Print what was freed as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = configOptions.load(spec.commandLine().getErr()).config();
        PruneReport report = prune(config);
        out.println(json ? ApiJson.write(report) : report.summary());
        out.flush();
        return 0;
    }

    /** On the build service (--server, $STRATA_SERVER, strata_server_url), else on this machine's store and home. */
    private PruneReport prune(Configuration config) throws StrataException {
        Optional<RemoteBuildService> remote = server.connect(config);
        if (remote.isPresent()) {
            try (RemoteBuildService service = remote.get()) {
                return service.call("POST", "/api/v1/prune?keep_younger_than="
                        + URLEncoder.encode(keep.text(), StandardCharsets.UTF_8), PruneReport.class);
            }
        }
        try (JdbcBuildStore store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty())) {
            return BuildPruner.of(store, config, System.err).prune(keep.duration());
        }
    }

    /** The duration as written (what a server is sent) and as read (checked here first, so a bad one never leaves). */
    record Keep(String text, Duration duration) {}

    /** A bad duration is bad usage: one message, exit 2, with or without --server. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Keep> {
        @Override
        public Keep convert(String value) {
            try {
                return new Keep(value.strip(), OperatorDuration.parse(value, "--keep-younger-than"));
            } catch (StrataException e) {
                throw new CommandLine.TypeConversionException(e.getMessage() + "; " + e.hint());
            }
        }
    }
}
