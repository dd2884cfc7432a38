package io.strata.kube.engine;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.strata.core.StrataException;
import io.strata.core.io.TextFiles;
import io.strata.kube.streams.ClusterConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A client of one cluster and the namespace Strata works in there. Found through a kubeconfig
 * ({@code strata_kubeconfig}, else {@code $KUBECONFIG}, else {@code ~/.kube/config}; a named context
 * or the current one) or, in a pod, its service account. The environment is handed in, never read
 * here, so tests cannot reach the user's cluster.
 */
public final class ClusterAccess implements AutoCloseable {
    /** Requests fail fast: an unreachable cluster must not hold up placement on the others. */
    static final int REQUEST_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final KubernetesClient client;
    private final String namespace;

    ClusterAccess(String name, KubernetesClient client, String namespace) {
        this.name = name;
        this.client = client;
        this.namespace = namespace;
    }

    public String name() {
        return name;
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * The cluster of a kubeconfig context ({@code context} empty: the current one), in {@code namespace}
     * (empty: the context's, else {@code default}).
     */
    public static ClusterAccess open(String name, Optional<String> context, Optional<Path> kubeconfig, Optional<String> namespace,
            Map<String, String> environment, Path userHome) throws StrataException {
        Optional<Path> file = kubeconfig.isPresent() ? kubeconfig : ClusterConnection.findKubeconfig(environment, userHome);
        Config config;
        if (file.isPresent()) {
            config = load(file.get(), context);
        } else if (environment.containsKey("KUBERNETES_SERVICE_HOST")) {
            config = Config.autoConfigure(null); // in a pod: its service account
        } else {
            throw new StrataException("KUBECONFIG_MISSING", "no kubeconfig for the " + name + " cluster: strata_kubeconfig is not set,"
                    + " $KUBECONFIG is not set, " + userHome.resolve(".kube/config") + " does not exist and this is not a pod",
                    "set strata_kubeconfig (or KUBECONFIG) to a kubeconfig file, or run strata serve in a pod with a service account");
        }
        config.setRequestRetryBackoffLimit(1);
        config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
        config.setConnectionTimeout(REQUEST_TIMEOUT_MILLIS);
        String ns = namespace.filter(s -> !s.isBlank()).or(() -> Optional.ofNullable(config.getNamespace())).orElse("default");
        return new ClusterAccess(name, new KubernetesClientBuilder().withConfig(config).build(), ns);
    }

    /** The worker's own cluster: $KUBECONFIG's current context, or the pod's service account. */
    public static ClusterAccess forWorker(Map<String, String> environment, Path userHome) throws StrataException {
        return open("worker's", Optional.empty(), Optional.empty(), Optional.empty(), environment, userHome);
    }

    private static Config load(Path file, Optional<String> context) throws StrataException {
        String text;
        try {
            text = TextFiles.readUtf8(file);
        } catch (TextFiles.UnreadableTextException e) {
            throw new StrataException(e.kind() == TextFiles.UnreadableTextException.Kind.MISSING ? "KUBECONFIG_MISSING" : "KUBECONFIG_INVALID",
                    "kubeconfig " + file + " " + e.problem(), e.kind() == TextFiles.UnreadableTextException.Kind.MISSING
                            ? "give the path of a kubeconfig file (strata_kubeconfig or KUBECONFIG)" : e.fix());
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context.orElse(null), text, file.toString());
        } catch (RuntimeException e) {
            String problem = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            if (problem.startsWith("Cannot construct instance") || problem.startsWith("Cannot deserialize")) {
                problem = "it is not a kubeconfig (a mapping with apiVersion, clusters, contexts and users)";
            }
            throw new StrataException("KUBECONFIG_INVALID", "kubeconfig " + file + " cannot be read: " + problem,
                    "check the file with `kubectl --kubeconfig " + file + " config view`");
        }
        if (config.getCurrentContext() == null || config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new StrataException("KUBECONFIG_INVALID", "kubeconfig " + file + " has no "
                    + context.map(c -> "context named " + c).orElse("current context"),
                    context.map(c -> "add the context " + c + " or fix the cluster name in the reactor config's clusters:")
                            .orElse("select one with `kubectl --kubeconfig " + file + " config use-context NAME`"));
        }
        return config;
    }

    @Override
    public void close() {
        client.close();
    }
}
