package io.strata.cli.engines;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.RemoteBuildService;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import io.strata.core.service.EngineStatus;
import io.strata.local.ops.LocalEngines;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The engines of a build service (--server, $STRATA_SERVER, strata_server_url), or without one of
 * the store the configuration names, opened by the local user, who may do anything a store they can
 * open allows (a server knows its caller from the token).
 */
final class EngineAccess implements AutoCloseable {
    private final EngineService engines;
    private final Optional<JdbcBuildStore> store;
    private final Optional<RemoteBuildService> remote;

    private EngineAccess(EngineService engines, Optional<JdbcBuildStore> store, Optional<RemoteBuildService> remote) {
        this.engines = engines;
        this.store = store;
        this.remote = remote;
    }

    static EngineAccess open(ConfigOptions options, ServerOptions server, PrintWriter err) throws StrataException {
        Configuration config = options.load(err).config();
        Optional<RemoteBuildService> remote = server.connect(config);
        if (remote.isPresent()) {
            return new EngineAccess(new RemoteEngines(remote.get()), Optional.empty(), remote);
        }
        JdbcBuildStore store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        return new EngineAccess(new LocalEngines(store, config), Optional.of(store), Optional.empty());
    }

    EngineService engines() {
        return engines;
    }

    static Caller localUser() {
        return Caller.admin(System.getProperty("user.name", "local"));
    }

    @Override
    public void close() throws StrataException {
        remote.ifPresent(RemoteBuildService::close);
        if (store.isPresent()) {
            store.get().close();
        }
    }

    /** The engine routes of a server (docs/service.md); the caller is whoever the token stands for. */
    private record RemoteEngines(RemoteBuildService server) implements EngineService {
        @Override
        public List<EngineStatus> engines(Caller caller) throws StrataException {
            return List.of(server.call("GET", "/api/v1/engines", EngineStatus[].class));
        }

        @Override
        public EngineStatus drain(String name, Caller caller) throws StrataException {
            return server.call("POST", "/api/v1/engines/" + path(name) + "/drain", EngineStatus.class);
        }

        @Override
        public EngineStatus undrain(String name, Caller caller) throws StrataException {
            return server.call("POST", "/api/v1/engines/" + path(name) + "/undrain", EngineStatus.class);
        }

        private static String path(String name) {
            return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
