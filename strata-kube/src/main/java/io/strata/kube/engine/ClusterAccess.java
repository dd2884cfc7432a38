package io.strata.kube.engine;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.strata.core.StrataException;
import io.strata.kube.streams.Kubeconfigs;
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
        Optional<Path> file = kubeconfig.isPresent() ? kubeconfig : Kubeconfigs.find(environment, userHome);
        Config config;
        if (file.isPresent()) {
            config = Kubeconfigs.load(file.get(), context, kubeconfig.isPresent() ? "as configured" : "from $KUBECONFIG or ~/.kube/config");
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

    @Override
    public void close() {
        client.close();
    }
}
