package io.strata.cli.serve;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.service.BuildService;
import io.strata.core.service.ServiceReasons;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintStream;

/** The application service {@code strata serve} serves, with whatever runs behind it (queue, scheduler, engine). */
final class ServedService implements AutoCloseable {
    private final BuildService service;
    private final AutoCloseable runtime;

    private ServedService(BuildService service, AutoCloseable runtime) {
        this.service = service;
        this.runtime = runtime;
    }

    static ServedService start(Configuration config, JdbcBuildStore store, PrintStream log) throws StrataException {
        throw new StrataException(ServiceReasons.ENGINE_NOT_AVAILABLE, "the service is not wired yet", "wait for F1");
    }

    BuildService service() {
        return service;
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } catch (Exception e) {
            // winding down: nothing left to tell the caller
        }
    }
}
