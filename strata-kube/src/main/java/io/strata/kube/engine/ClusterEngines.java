package io.strata.kube.engine;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigKey;
import io.strata.core.config.Configuration;
import io.strata.core.config.reactor.ReactorConfig;
import io.strata.core.config.reactor.ReactorConfigLoader;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineProvider;
import io.strata.core.render.BuildConfigRenderer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Opens the {@code kubernetes} and {@code openshift} engines for the service (found through
 * {@link java.util.ServiceLoader}). The default cluster is {@code strata_kubeconfig}'s (else
 * {@code $KUBECONFIG}'s, else the pod's service account) current context, in osbs.conf's
 * {@code namespace}. When {@code reactor_config_map} names a ConfigMap there whose reactor config
 * has a {@code clusters:} section, each platform's builds go to the clusters listed for it (a
 * cluster's name is a context of the kubeconfig); otherwise the default cluster serves every platform.
 */
public final class ClusterEngines implements EngineProvider {
    /** A cluster without {@code clusters:} configuration takes this many builds at once (the scheduler limits them first). */
    static final int UNLIMITED = Integer.MAX_VALUE;

    @Override
    public Set<String> names() {
        return Set.of(KubernetesEngine.NAME, OpenShiftEngine.NAME);
    }

    @Override
    public Engine open(String name, Configuration config, Map<String, String> environment, PrintStream diagnostics)
            throws StrataException {
        Optional<Path> kubeconfig = config.raw(ConfigKey.STRATA_KUBECONFIG.key()).filter(s -> !s.isBlank()).map(Path::of);
        // ~/.kube/config of the HOME the front end handed in; none handed in: no home to look in (never this JVM's user's).
        Path home = Path.of(environment.getOrDefault("HOME", "/nonexistent/strata-no-home"));
        ClusterAccess main = ClusterAccess.open("default", Optional.empty(), kubeconfig, Optional.of(config.namespace()), environment, home);
        List<ClusterAccess> opened = new ArrayList<>(List.of(main));
        try {
            Optional<ReactorConfig> reactor = reactorConfig(main, config);
            ClusterPool pool;
            if (reactor.isPresent() && !reactor.get().clusters().isEmpty()) {
                Map<String, ClusterAccess> byName = new LinkedHashMap<>();
                Map<String, List<ClusterPool.Member>> byPlatform = new LinkedHashMap<>();
                for (var entry : reactor.get().clusters().entrySet()) {
                    List<ClusterPool.Member> members = new ArrayList<>();
                    for (ReactorConfig.Cluster cluster : entry.getValue()) {
                        if (!cluster.active()) {
                            continue;
                        }
                        ClusterAccess access = byName.get(cluster.name());
                        if (access == null) {
                            access = ClusterAccess.open(cluster.name(), Optional.of(cluster.name()), kubeconfig, Optional.of(config.namespace()),
                                    environment, home);
                            byName.put(cluster.name(), access);
                            opened.add(access);
                        }
                        members.add(new ClusterPool.Member(access, cluster.maxConcurrentBuilds()));
                    }
                    byPlatform.put(entry.getKey(), members);
                }
                main.close();
                opened.remove(main);
                pool = new ClusterPool(byPlatform, Optional.empty(), Clock.systemUTC(), diagnostics);
            } else {
                pool = new ClusterPool(Map.of(), Optional.of(new ClusterPool.Member(main, UNLIMITED)), Clock.systemUTC(), diagnostics);
            }
            WorkerPods pods = new WorkerPods(config, registryAuth(config), Clock.systemUTC());
            return name.equals(OpenShiftEngine.NAME)
                    ? new OpenShiftEngine(config, pool, pods, Clock.systemUTC(), diagnostics)
                    : new KubernetesEngine(config, pool, pods, Clock.systemUTC(), diagnostics);
        } catch (StrataException | RuntimeException e) {
            opened.forEach(ClusterAccess::close);
            throw e;
        }
    }

    /** The reactor config of {@code reactor_config_map} in the default cluster; a missing or bad one is an error, said up front. */
    static Optional<ReactorConfig> reactorConfig(ClusterAccess cluster, Configuration config) throws StrataException {
        Optional<String> mapName = config.reactorConfigMap();
        if (mapName.isEmpty()) {
            return Optional.empty();
        }
        ConfigMap map;
        try {
            map = cluster.client().configMaps().inNamespace(cluster.namespace()).withName(mapName.get()).get();
        } catch (KubernetesClientException e) {
            var failure = KubeFailures.of(e, cluster, "read the reactor config ConfigMap " + mapName.get()).failure().orElseThrow();
            throw new StrataException(failure.reason(), failure.message(), failure.hint());
        }
        String yaml = map == null || map.getData() == null ? null : map.getData().get(BuildConfigRenderer.REACTOR_CONFIG_KEY);
        if (yaml == null) {
            throw new StrataException("REACTOR_CONFIG_MISSING", "reactor_config_map names ConfigMap " + cluster.namespace() + "/"
                    + mapName.get() + ", which " + (map == null ? "does not exist" : "has no key " + BuildConfigRenderer.REACTOR_CONFIG_KEY),
                    "create it (kubectl create configmap " + mapName.get() + " --from-file=config.yaml=FILE), or unset reactor_config_map");
        }
        try {
            return Optional.of(ReactorConfigLoader.parse("ConfigMap " + mapName.get(), yaml));
        } catch (ConfigException e) {
            throw new StrataException("REACTOR_CONFIG_INVALID", "the reactor config in ConfigMap " + mapName.get() + " is not valid: "
                    + e.getMessage(), "fix config.yaml in that ConfigMap (docs/configuration.md lists the schema)");
        }
    }

    /** The service's registry credentials, handed to each worker in its build Secret when no registry_secret is configured. */
    private static Optional<byte[]> registryAuth(Configuration config) throws StrataException {
        if (!config.registrySecrets().isEmpty() || config.strata().registryAuthFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = config.strata().registryAuthFile().get();
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new StrataException("REGISTRY_AUTH_FILE_INVALID", "cannot read strata_registry_auth_file " + file + ": " + e.getMessage(),
                    "point strata_registry_auth_file at a readable auth.json, or configure registry_secret instead");
        }
    }
}
