package io.strata.cli.engines;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.service.EngineStatus;
import io.strata.server.api.ApiJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata engines list}: name, kind, platforms, concurrency, running, queued, drained. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List engines and platforms with their queues.")
public final class ListEnginesCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions server;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (EngineAccess access = EngineAccess.open(configOptions, server, spec.commandLine().getErr())) {
            List<EngineStatus> engines = access.engines().engines(EngineAccess.localUser());
            if (json) {
                out.println(ApiJson.write(engines));
            } else {
                out.printf("%-12s %-9s %-24s %-12s %-8s %-7s %s%n", "NAME", "KIND", "PLATFORMS", "CONCURRENCY",
                        "RUNNING", "QUEUED", "DRAINED");
                for (EngineStatus e : engines) {
                    out.printf("%-12s %-9s %-24s %-12s %-8d %-7d %s%n", e.name(), e.kind(), String.join(",", e.platforms()),
                            e.concurrency().map(String::valueOf).orElse("-"), e.running(), e.queued(),
                            e.drained() ? "yes (" + e.drainedBy().orElse("?") + ", " + e.drainedAt().map(Object::toString).orElse("?") + ")" : "no");
                }
            }
            out.flush();
            return 0;
        }
    }
}
