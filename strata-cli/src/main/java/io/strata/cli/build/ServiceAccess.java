package io.strata.cli.build;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.config.Configuration;
import io.strata.core.service.Caller;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.cli.remote.ServerOptions;
import io.strata.local.worker.LocalServices;

/**
 * How the record commands reach the build service: a server's, or without one the store the
 * configuration names, opened for reading and cancelling, as the local user, who may see every
 * build of a store they can open (a server knows its caller from the token).
 */
final class ServiceAccess {
    private ServiceAccess() {}

    /**
     * The build service of a server when one is configured (--server, $STRATA_SERVER,
     * strata_server_url), else this machine's: its store opened for reading and cancelling, builds
     * whose process is gone reconciled first (docs/store.md, Leases).
     */
    static ServiceHandle open(Configuration config, ServerOptions server) throws StrataException {
        var remote = server.connect(config);
        if (remote.isPresent()) {
            return ServiceHandle.remote(remote.get());
        }
        return ServiceHandle.local(LocalServices.openRecords(config, System.err));
    }

    static Caller localUser() {
        return Caller.admin(System.getProperty("user.name", "local"));
    }

    /** The id a user typed, checked before anything is asked of the service. */
    static BuildId parse(String id) throws ServiceException {
        if (!BuildId.isValid(id)) {
            throw new ServiceException(ServiceReasons.BUILD_ID_INVALID,
                    "'" + id + "' is not a build id (they look like 20261122-004512-3f9a1c)",
                    "copy the id from `strata list-builds`");
        }
        return new BuildId(id);
    }

    static BuildRecord find(ServiceHandle services, String id) throws StrataException {
        return services.builds().get(parse(id), localUser());
    }
}
