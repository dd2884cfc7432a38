package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.store.BuildStore;
import io.strata.local.buildah.Buildah;
import io.strata.local.buildah.BuildahOptions;
import io.strata.local.buildah.WorkingContainers;
import io.strata.local.process.ProcessRunner;
import io.strata.local.process.SecretMasker;
import io.strata.local.registry.RegistryAuthFile;
import io.strata.local.registry.RegistryClient;
import io.strata.local.registry.RegistryClientConfig;
import io.strata.local.registry.RegistryRetry;
import io.strata.local.store.BuildStores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The local engine put together from a configuration: the store, buildah, the registry client and
 * the worker steps, ready to build on this machine. One per process; close it to close the store.
 */
public final class LocalEngine implements AutoCloseable {
    private final BuildStore store;
    private final RegistryClient registry;
    private final LocalBuildService service;

    private LocalEngine(BuildStore store, RegistryClient registry, LocalBuildService service) {
        this.store = store;
        this.registry = registry;
        this.service = service;
    }

    /** Opens the store named by the configuration and wires the worker; fails early on a missing registry. */
    public static LocalEngine open(Configuration config, BuildahOptions buildahOptions, PrintStream diagnostics)
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
                .withRegistryRetry(retry);
        var registry = new RegistryClient(RegistryClientConfig.defaults().withAuthFile(auth)
                .withInsecureRegistries(target.insecure() ? java.util.Set.of(target.host()) : java.util.Set.of())
                .withRetry(retry, line -> diagnostics.println("strata: " + line)));
        BuildStore store;
        try {
            store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        } catch (StrataException | RuntimeException e) {
            registry.close();
            throw e;
        }
        try {
            new OrphanedBuilds(store, new WorkingContainers(buildahOptions), Clock.systemUTC(), diagnostics).reconcile();
            var environment = new BuildEnvironment(buildah.version(), strataVersion(), hostOs(), BuildEnvironment.DOCKER_V2_MANIFEST);
            var worker = new LocalWorker(config, store, buildah, registry, target, environment,
                    SecretMasker.of(auth.secrets())::mask);
            var service = new LocalBuildService(store, worker, config.strata().home().resolve("workspaces"),
                    Clock.systemUTC(), diagnostics);
            return new LocalEngine(store, registry, service);
        } catch (StrataException | RuntimeException e) {
            registry.close();
            store.close();
            throw e;
        }
    }

    public LocalBuildService builds() {
        return service;
    }

    public BuildStore store() {
        return store;
    }

    static String strataVersion() {
        String version = LocalEngine.class.getPackage().getImplementationVersion();
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
        try {
            registry.close();
        } finally {
            store.close();
        }
    }
}
