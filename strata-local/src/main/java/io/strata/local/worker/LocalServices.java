package io.strata.local.worker;

import io.strata.worker.BuildEnvironment;
import io.strata.worker.LocalWorker;
import io.strata.worker.RegistryTarget;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.config.Configuration;
import io.strata.core.config.StrataEngine;
import io.strata.core.engine.Engine;
import io.strata.core.store.BuildStore;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.worker.buildah.WorkingContainers;
import io.strata.worker.process.ProcessRunner;
import io.strata.worker.process.SecretMasker;
import io.strata.registry.RegistryAuthFile;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.registry.RegistryRetry;
import io.strata.local.store.BuildStores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import io.strata.core.engine.EngineProvider;

/**
 * The build service of this machine put together from a configuration: the store (builds of dead
 * processes reconciled on opening), the engine {@code strata_engine} names (the local engine with
 * buildah and the registry client, or the dry-run engine), the secret vault and, on request, the
 * queue's scheduler. One per process; closing it stops the scheduler and closes the store.
 */
public final class LocalServices implements AutoCloseable {
    private final BuildStore store;
    private final LocalBuildService service;
    private final Configuration config;
    private final List<AutoCloseable> resources;
    private final PrintStream diagnostics;
    private final OrphanedBuilds orphans;
    private QueueScheduler scheduler;
    /** The local engine's registry client: autorebuild asks it for parent digests. Empty for the dry-run engine. */
    private Optional<RegistryClient> registryClient = Optional.empty();
    private io.strata.local.avoid.AutorebuildPoller autorebuild;

    private LocalServices(BuildStore store, LocalBuildService service, Configuration config, List<AutoCloseable> resources,
            PrintStream diagnostics, OrphanedBuilds orphans) {
        this.store = store;
        this.service = service;
        this.config = config;
        this.resources = resources;
        this.diagnostics = diagnostics;
        this.orphans = orphans;
    }

    /** buildah's storage: the system's unless the configuration names a root of its own (tests, the demo). */
    public static BuildahOptions buildahOptions(Configuration config) {
        return config.strata().buildahRoot()
                .map(root -> BuildahOptions.privateStorage(root.resolve("root"), root.resolve("runroot")))
                .orElseGet(BuildahOptions::systemDefault);
    }

    /** The reconciler of this store; it also removes the working containers of dead builds from buildah's storage. */
    private static OrphanedBuilds orphans(BuildStore store, BuildahOptions buildahOptions, Clock clock,
            PrintStream diagnostics) {
        return new OrphanedBuilds(store, new WorkingContainers(buildahOptions), clock, diagnostics);
    }

    /**
     * Opens the store named by the configuration and wires its engine. The local engine fails early
     * on a missing registry; a cluster engine is refused (ENGINE_NOT_AVAILABLE).
     */
    public static LocalServices open(Configuration config, BuildahOptions buildahOptions, PrintStream diagnostics)
            throws StrataException {
        return open(config, buildahOptions, diagnostics, Map.of());
    }

    /**
     * As {@link #open(Configuration, BuildahOptions, PrintStream)}, with the process environment the front end
     * read, which a cluster engine needs ({@code KUBECONFIG}, or {@code KUBERNETES_SERVICE_HOST} in a pod).
     */
    public static LocalServices open(Configuration config, BuildahOptions buildahOptions, PrintStream diagnostics,
            Map<String, String> environment) throws StrataException {
        return open(config, buildahOptions, diagnostics, environment, Optional.empty());
    }

    /**
     * As {@link #open(Configuration, BuildahOptions, PrintStream, Map)}, for a command about to submit
     * {@code expected}: on the local engine, when it names one platform (a prepared request names them),
     * its sources (commit, Dockerfile, pinned parents) are resolved while the store opens, and its
     * content key takes them ({@link io.strata.worker.SourcesAhead}).
     */
    public static LocalServices open(Configuration config, BuildahOptions buildahOptions, PrintStream diagnostics,
            Map<String, String> environment, Optional<io.strata.core.request.BuildRequest> expected) throws StrataException {
        requireEngineServed(config);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Clock clock = Clock.systemUTC();
            Path home = config.strata().home();
            Engine engine = switch (config.strata().engine()) {
                case DRY_RUN -> new DryRunEngine(DryRunDelay.parse(config.dryRunDelay()), clock);
                case KUBERNETES, OPENSHIFT -> clusterEngine(config, environment, diagnostics);
                case LOCAL -> null;
            };
            if (engine != null && !(engine instanceof DryRunEngine)) {
                resources.add(engine);
            }
            // Every engine that pushes needs the client here too: the orchestrator of a multi-platform
            // build pushes the joined index itself, whichever engine (local or a cluster's) ran its workers.
            RegistryWiring registry = engine instanceof DryRunEngine ? null
                    : RegistryWiring.open(config, buildahOptions, diagnostics);
            if (registry != null) {
                resources.add(registry.client());
            }
            // The local engine's buildah version and git's configuration are looked up while the store opens
            // (StartUpLookups); a cluster or dry-run engine needs neither here.
            StartUpLookups lookups = engine == null ? StartUpLookups.start(registry.buildah()) : null;
            // A prepared request names its platforms (this machine's when none was asked); one platform, one key.
            Optional<io.strata.worker.SourcesAhead> sourcesAhead = engine == null
                    ? expected.filter(request -> request.platforms().size() == 1).map(request -> io.strata.worker.SourcesAhead
                            .begin(config, registry.client(), request, LocalWorker.platformOf(config, request.platforms().getFirst())))
                    : Optional.empty();
            sourcesAhead.ifPresent(resources::add);
            BuildStore store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
            resources.add(store);
            OrphanedBuilds orphans = orphans(store, buildahOptions, clock, diagnostics);
            orphans.reconcile();
            java.util.function.Function<String, io.strata.registry.Platform> platforms = io.strata.registry.Platform::fromKojiArch;
            if (engine == null) {
                lookups.awaitBuildahVersion(registry.buildah());
                LocalEngine local = localEngine(config, new StoreReleases(store), registry, clock, diagnostics);
                // The platform sections' architectures, as the worker maps them, also name what an
                // orchestrator asks each worker for (the avoiding engine in front hides the local one).
                platforms = local::platformOf;
                engine = avoiding(local, config, store, registry, clock, sourcesAhead);
            }
            engine = orchestrating(engine, platforms, store, registry, config, home.resolve("workspaces"), clock,
                    diagnostics);
            var service = new LocalBuildService(store, Optional.of(engine), config, new SecretVault(home.resolve("secrets")),
                    home.resolve("workspaces"), clock, diagnostics, orphans);
            var services = new LocalServices(store, service, config, resources, diagnostics, orphans);
            services.registryClient = Optional.ofNullable(registry).map(RegistryWiring::client);
            return services;
        } catch (StrataException | RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    private static LocalEngine localEngine(Configuration config, io.strata.worker.ReleaseAllocator releases, RegistryWiring registry,
            Clock clock, PrintStream diagnostics) throws StrataException {
        var worker = new LocalWorker(config, releases, registry.buildah(), registry.client(), registry.target(),
                new BuildEnvironment(registry.buildah().version(), strataVersion(), hostOs(), BuildEnvironment.DOCKER_V2_MANIFEST),
                registry.masker()::mask);
        return new LocalEngine(worker, config.strata().home().resolve("workspaces"), clock, diagnostics);
    }

    /**
     * The local engine without a store, for {@code strata worker} in a pod: the same worker steps, buildah and
     * registry client as {@link #open}, releases from {@code releases}. Closing the result closes the registry client.
     */
    public static WorkerEngine openWorkerEngine(Configuration config, BuildahOptions buildahOptions,
            io.strata.worker.ReleaseAllocator releases, PrintStream diagnostics) throws StrataException {
        RegistryWiring registry = RegistryWiring.open(config, buildahOptions, diagnostics);
        try {
            return new WorkerEngine(localEngine(config, releases, registry, Clock.systemUTC(), diagnostics), registry.client());
        } catch (StrataException | RuntimeException e) {
            closeAll(List.of(registry.client()), e);
            throw e;
        }
    }

    /** The local engine of a worker pod and what to close after it. */
    public record WorkerEngine(Engine engine, AutoCloseable registry) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            registry.close();
        }
    }

    /**
     * Opens the store for the commands that read and cancel builds (get-build, list-builds,
     * build-logs, watch-build, cancel-build): no engine, no registry; builds of dead processes are
     * reconciled first, so no command shows a killed build as RUNNING.
     */
    public static LocalServices openRecords(Configuration config, PrintStream diagnostics) throws StrataException {
        BuildStore store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        try {
            Clock clock = Clock.systemUTC();
            OrphanedBuilds orphans = orphans(store, buildahOptions(config), clock, diagnostics);
            orphans.reconcile();
            Path home = config.strata().home();
            var service = new LocalBuildService(store, Optional.empty(), config, new SecretVault(home.resolve("secrets")),
                    home.resolve("workspaces"), clock, diagnostics, orphans);
            return new LocalServices(store, service, config, List.of(store), diagnostics, orphans);
        } catch (StrataException | RuntimeException e) {
            closeAll(List.of(store), e);
            throw e;
        }
    }

    /**
     * The engine builds run on: multi-platform builds orchestrated over {@code workers}, placed on
     * it per platform; an engine or platform drained in the store (`strata engines drain`) takes
     * no new worker builds, so a drain holds for orchestrated workers as for queued builds.
     */
    static Engine orchestrating(Engine workers, java.util.function.Function<String, io.strata.registry.Platform> platforms,
            BuildStore store, RegistryWiring registry, Configuration config, Path workspaces, Clock clock,
            PrintStream diagnostics) {
        var parts = new Orchestration.Parts(store,
                Optional.ofNullable(registry).map(wiring -> new io.strata.worker.IndexPublisher(wiring.client(),
                        new io.strata.worker.IndexAttestations(config.signingKey(), strataVersion(), clock))),
                platforms, workspaces, java.time.Duration.ofHours(config.workerMaxRunHours()), config.groupManifests(),
                clock, diagnostics);
        PlatformPlacement.DrainCheck drained = store instanceof io.strata.local.store.JdbcBuildStore jdbc
                ? (engine, platform) -> jdbc.drains().stream().anyMatch(d ->
                        d.scope().equals(io.strata.local.store.QueueDrain.ENGINE) && d.name().equals(engine)
                        || d.scope().equals(io.strata.local.store.QueueDrain.PLATFORM) && d.name().equals(platform))
                : PlatformPlacement.DrainCheck.NONE;
        return new OrchestratingEngine(workers, new PlatformPlacement(List.of(workers), config, drained), parts);
    }

    /** The local engine behind build avoidance (docs/builds.md, "Build avoidance"). */
    private static Engine avoiding(LocalEngine engine, Configuration config, BuildStore store, RegistryWiring registry,
            Clock clock, Optional<io.strata.worker.SourcesAhead> sourcesAhead) throws StrataException {
        var rows = ((io.strata.local.store.JdbcBuildStore) store).avoidance();
        String buildahVersion = registry.buildah().version();
        var keyer = new io.strata.worker.ContentKeyer(config, registry.client(), strataVersion() + " buildah " + buildahVersion,
                sourcesAhead);
        var avoidance = new io.strata.local.avoid.BuildAvoidance(rows, new io.strata.worker.ImageReuse(registry.client()),
                new StoreReleases(store), registry.target().host(),
                new BuildEnvironment(buildahVersion, strataVersion(), hostOs(), BuildEnvironment.DOCKER_V2_MANIFEST), clock);
        return new AvoidingEngine(engine, keyer, avoidance, rows, clock);
    }

    /**
     * The cluster engine {@code strata_engine} names, from the module that provides it (strata-kube, found with
     * {@link java.util.ServiceLoader}: this module does not depend on it).
     */
    private static Engine clusterEngine(Configuration config, Map<String, String> environment, PrintStream diagnostics)
            throws StrataException {
        String name = config.strata().engine().configName();
        for (EngineProvider provider : ServiceLoader.load(EngineProvider.class)) {
            if (provider.names().contains(name)) {
                return provider.open(name, config, environment, diagnostics);
            }
        }
        throw engineNotAvailable(config);
    }

    private static boolean provided(StrataEngine engine) {
        return ServiceLoader.load(EngineProvider.class).stream().anyMatch(p -> p.get().names().contains(engine.configName()));
    }

    /**
     * The engines that build in this process ({@code strata build}, {@code strata demo}): local and dry-run. The
     * cluster engines serve {@code strata serve} ({@link #requireEngineServed}).
     */
    public static void requireEngineHere(Configuration config) throws StrataException {
        StrataEngine engine = config.strata().engine();
        if (engine != StrataEngine.LOCAL && engine != StrataEngine.DRY_RUN) {
            throw engineNotAvailable(config);
        }
    }

    /** The engines a build service can run: local, dry-run, and the cluster engines whose module is present. */
    public static void requireEngineServed(Configuration config) throws StrataException {
        StrataEngine engine = config.strata().engine();
        if (engine != StrataEngine.LOCAL && engine != StrataEngine.DRY_RUN && !provided(engine)) {
            throw engineNotAvailable(config);
        }
    }

    private static StrataException engineNotAvailable(Configuration config) {
        StrataEngine engine = config.strata().engine();
        {
            return new StrataException("ENGINE_NOT_AVAILABLE", provided(engine)
                    ? "strata_engine = " + engine.configName() + " runs worker builds in a cluster for the build service (strata serve);"
                            + " a build without --server runs in this process, on the local engine"
                    : "strata_engine = " + engine.configName() + " is not available: this Strata has no module that provides it",
                    "set strata_engine = local in the [" + config.instance() + "] section (or unset STRATA_ENGINE), or submit"
                            + " the build to a strata serve with --server");
        }
    }

    /** The service every front end calls. */
    public LocalBuildService builds() {
        return service;
    }

    public BuildStore store() {
        return store;
    }

    /**
     * Ends (or resumes) the builds whose process died, as opening the services did, when that was not done
     * for a while ({@link OrphanedBuilds#reconcileIfDue()}): for a command that polls a build whose owner may
     * die meanwhile. Returns the builds this call ended.
     */
    public List<BuildId> endOrphanedBuildsIfDue() throws StrataException {
        return orphans.reconcileIfDue();
    }

    /** Starts running the queue in this process (strata serve); stopped by {@link #close()}. */
    public synchronized QueueScheduler startScheduler(QueueScheduler.Settings settings) throws StrataException {
        if (scheduler == null) {
            scheduler = new QueueScheduler(store, service.engine(), new SecretVault(config.strata().home().resolve("secrets")),
                    config.strata().home().resolve("workspaces"), settings, Clock.systemUTC(), diagnostics, orphans);
            service.onQueueChange(scheduler::wake);
            scheduler.start();
            startAutorebuild();
        }
        return scheduler;
    }

    /**
     * The autorebuild policies' poller (docs/builds.md, "Autorebuild"), with the scheduler that
     * runs what it submits; only the local engine has a registry to ask.
     */
    private void startAutorebuild() {
        if (registryClient.isPresent() && store instanceof io.strata.local.store.JdbcBuildStore jdbc) {
            autorebuild = new io.strata.local.avoid.AutorebuildPoller(store, jdbc.autorebuilds(), jdbc.avoidance(), service,
                    registryClient.get(), config.autorebuildInterval(), config.autorebuildRegistryRate(), Clock.systemUTC(),
                    diagnostics);
            autorebuild.start();
        }
    }

    /** The scheduler with the configuration's limits, attempts and timeouts. */
    public QueueScheduler startScheduler() throws StrataException {
        return startScheduler(QueueScheduler.Settings.from(config));
    }

    static String strataVersion() {
        String version = LocalServices.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    static String hostOs() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (java.io.IOException e) {
            // fall through to the JVM's idea of the OS
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    @Override
    public void close() throws StrataException {
        QueueScheduler running;
        synchronized (this) {
            running = scheduler;
        }
        if (autorebuild != null) {
            autorebuild.close();
        }
        if (running != null) {
            running.close();
        }
        StrataException failure = null;
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (StrataException e) {
                failure = failure == null ? e : failure;
            } catch (Exception e) {
                diagnostics.println("strata: warning: could not close " + resource + ": " + e.getMessage());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeAll(List<AutoCloseable> resources, Exception cause) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** What the local engine needs to reach the registry: buildah, the client, the target, the masker of its secrets. */
    private record RegistryWiring(Buildah buildah, RegistryClient client, RegistryTarget target, SecretMasker masker) {
        static RegistryWiring open(Configuration config, BuildahOptions buildahOptions, PrintStream diagnostics)
                throws StrataException {
            RegistryTarget target = RegistryTarget.fromRegistryUri(config.registryUri().orElseThrow(() -> new StrataException(
                    "REGISTRY_NOT_CONFIGURED", "no registry to push to: registry_uri is not set",
                    "set registry_uri = http://HOST:PORT/v2 in the [" + config.instance() + "] section of osbs.conf,"
                            + " or STRATA_REGISTRY_URI; `strata demo` starts a throwaway registry for you")));
            Optional<Path> authFile = config.strata().registryAuthFile();
            RegistryAuthFile auth = authFile.isPresent() ? RegistryAuthFile.load(authFile.get()) : RegistryAuthFile.discover();
            var retry = new RegistryRetry(config.registryRetryTimeout());
            // Children report their process group to the lease of the build they run for.
            var buildah = new Buildah(buildahOptions.withAuthFile(auth.source().orElse(null)).withTlsVerify(!target.insecure()),
                    new ProcessRunner(LeaseKeeper.GROUPS))
                    .withRegistryRetry(retry)
                    .withVersionMemo(config.strata().buildahVersionFile());
            var client = new RegistryClient(RegistryClientConfig.defaults().withAuthFile(auth)
                    .withInsecureRegistries(target.insecure() ? java.util.Set.of(target.host()) : java.util.Set.of())
                    .withRetry(retry, line -> diagnostics.println("strata: " + line)));
            return new RegistryWiring(buildah, client, target, SecretMasker.of(auth.secrets()));
        }
    }
}
