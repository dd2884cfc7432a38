package io.strata.cli.serve;

import io.strata.cli.StartUpTraining;
import io.strata.cli.build.LocalBuilds;
import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.worker.LocalServices;
import io.strata.local.ops.BuildPruner;
import io.strata.local.ops.PruneSchedule;
import io.strata.server.ServiceOperations;
import io.strata.server.StrataServer;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata serve --listen HOST:PORT}: the build service. Opens the store, starts the service
 * (its queue and scheduler, with the engine {@code strata_engine} names) and serves the REST API
 * (docs/service.md) until SIGINT, SIGTERM or SIGHUP, then stops taking requests, lets the service
 * wind down and closes the store. Prints {@code strata serve: listening on http://HOST:PORT} on
 * stdout once it accepts connections (with {@code --listen HOST:0}, the port it got).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the build service: REST API, queue and scheduler (docs/service.md).")
public final class ServeCommand implements Callable<Integer> {
    static final String LISTEN_FAILED = "LISTEN_FAILED";

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = ListenAddress.DEFAULT,
            description = "Address to listen on (default ${DEFAULT-VALUE}; port 0: any free port).")
    String listen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ListenAddress address = ListenAddress.parse(listen);
        Configuration config = configOptions.load(err).config();
        PruneSchedule.Settings pruning = PruneSchedule.Settings.from(config);
        return LocalBuilds.cancellable(() -> {
            LocalServices.requireEngineServed(config);
            // The tokens and the operations (engines, queue counts, pruning) through a store handle of
            // their own: the service's store is its BuildStore contract.
            try (LocalServices services = LocalServices.open(config, LocalBuilds.buildahOptions(config), System.err,
                    io.strata.cli.StrataEnvironment.of(spec).variables());
                    JdbcBuildStore tokens = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
                    StrataServer server = new StrataServer(services.builds(), tokens.apiTokens(), tokens::leases, System.err,
                            StrataServer.KEEP_ALIVE, ServiceOperations.of(tokens, config))) {
                server.observe(services.startScheduler(), services.store(), tokens);
                Optional<PruneSchedule> pruner = PruneSchedule.start(BuildPruner.of(tokens, config, System.err), pruning,
                        System.err);
                try {
                    return serveUntilStopped(server, address, out, err);
                } finally {
                    pruner.ifPresent(PruneSchedule::close);
                }
            }
        });
    }

    private static int serveUntilStopped(StrataServer server, ListenAddress address, PrintWriter out, PrintWriter err)
            throws StrataException {
        listen(server, address);
        out.println("strata serve: listening on http://" + hostForUrl(address.host()) + ":" + server.port());
        StartUpTraining.running();
        out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException stop) {
            err.println("strata serve: stopping");
            err.flush();
        }
        return 0;
    }

    private static void listen(StrataServer server, ListenAddress address) throws StrataException {
        try {
            server.start(address.host(), address.port());
        } catch (RuntimeException e) {
            throw new StrataException(LISTEN_FAILED, "cannot listen on " + address.host() + ":" + address.port() + ": "
                    + rootMessage(e), "choose another --listen address, or stop what uses the port");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
