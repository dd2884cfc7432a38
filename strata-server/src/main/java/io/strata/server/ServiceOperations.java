package io.strata.server;

import io.strata.core.StrataException;
import io.strata.core.config.ConfigKey;
import io.strata.core.config.Configuration;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import io.strata.core.service.EngineStatus;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.local.ops.BuildPruner;
import io.strata.local.ops.LocalEngines;
import io.strata.local.ops.PruneReport;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.store.QueueCount;
import io.strata.local.store.QueueDrain;
import java.time.Duration;
import java.util.List;

/**
 * What the server needs to operate the service besides the builds: the engines (list, drain,
 * undrain), the queue's counts for {@code /metrics}, and the admission bound
 * ({@code strata_queue_max_pending}) above which a submission is answered 429.
 */
public record ServiceOperations(EngineService engines, QueueView queue, int maxPending, Pruning pruning) {

    /** Removes finished builds older than a duration and says what it freed ({@code POST /api/v1/prune}). */
    @FunctionalInterface
    public interface Pruning {
        PruneReport prune(Duration keepYoungerThan) throws StrataException;
    }

    /** Without pruning over HTTP: the route answers ENGINE_NOT_AVAILABLE. */
    public ServiceOperations(EngineService engines, QueueView queue, int maxPending) {
        this(engines, queue, maxPending, keep -> {
            throw new ServiceException(ServiceReasons.ENGINE_NOT_AVAILABLE, "this server was started without its store's pruner",
                    "start it with strata serve");
        });
    }

    /** On the store {@code strata serve} uses, with the configuration's engine, limits and Strata home. */
    public static ServiceOperations of(JdbcBuildStore store, Configuration config) {
        BuildPruner pruner = BuildPruner.of(store, config, System.err);
        return new ServiceOperations(new LocalEngines(store, config), new QueueView() {
            @Override
            public List<QueueCount> counts() throws StrataException {
                return store.queueCounts();
            }

            @Override
            public int pending() throws StrataException {
                return store.pendingCount();
            }

            @Override
            public List<QueueDrain> drains() throws StrataException {
                return store.drains();
            }
        }, maxPending(config), pruner::prune);
    }

    /** strata_queue_max_pending; the loader checked it is a positive integer. */
    static int maxPending(Configuration config) {
        return Integer.parseInt(config.raw(ConfigKey.STRATA_QUEUE_MAX_PENDING.key())
                .or(ConfigKey.STRATA_QUEUE_MAX_PENDING::defaultValue).orElseThrow().strip());
    }

    /** A server without them (tests of the build routes alone): no engines, an empty queue view, no bound. */
    static ServiceOperations none() {
        EngineService refusing = new EngineService() {
            @Override
            public List<EngineStatus> engines(Caller caller) throws StrataException {
                throw notHere();
            }

            @Override
            public EngineStatus drain(String name, Caller caller) throws StrataException {
                throw notHere();
            }

            @Override
            public EngineStatus undrain(String name, Caller caller) throws StrataException {
                throw notHere();
            }

            private ServiceException notHere() {
                return new ServiceException(ServiceReasons.ENGINE_NOT_AVAILABLE, "this server was started without its engines",
                        "start it with strata serve");
            }
        };
        return new ServiceOperations(refusing, new QueueView() {
            @Override
            public List<QueueCount> counts() {
                return List.of();
            }

            @Override
            public int pending() {
                return 0;
            }

            @Override
            public List<QueueDrain> drains() {
                return List.of();
            }
        }, Integer.MAX_VALUE);
    }
}
