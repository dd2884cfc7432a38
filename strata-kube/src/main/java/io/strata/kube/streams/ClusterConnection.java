package io.strata.kube.streams;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.strata.core.StrataException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An open connection to the cluster of a kubeconfig, optionally impersonating another user. Front
 * ends get an applier and a printable server address from it, never the fabric8 client itself.
 */
public final class ClusterConnection implements AutoCloseable {
    static final int REQUEST_RETRIES = 2;

    private final KubernetesClient client;

    private ClusterConnection(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param kubeconfig  a kubeconfig file named by the user; when empty, {@link Kubeconfigs#find} looks
     * @param asUser      user to impersonate (like {@code oc --as}); the kubeconfig user must be allowed to
     * @param environment the caller's environment ({@code KUBECONFIG}, {@code KUBERNETES_SERVICE_HOST}); never
     *                    read from the process here, so a test's cluster call cannot reach the user's cluster
     * @param userHome    for {@code ~/.kube/config}
     */
    public static ClusterConnection open(Optional<Path> kubeconfig, Optional<String> asUser, Map<String, String> environment,
            Path userHome) throws StrataException {
        Optional<Path> file = kubeconfig.isPresent() ? kubeconfig : Kubeconfigs.find(environment, userHome);
        Config config;
        if (file.isPresent()) {
            config = Kubeconfigs.load(file.get(), Optional.empty(), kubeconfig.isPresent() ? "--kubeconfig" : "from $KUBECONFIG or ~/.kube/config");
        } else if (environment.containsKey("KUBERNETES_SERVICE_HOST")) {
            config = Config.autoConfigure(null); // in a pod: the service account
        } else {
            throw new StrataException("KUBECONFIG_MISSING",
                    "no kubeconfig: --kubeconfig not given, $KUBECONFIG not set and " + userHome.resolve(".kube/config")
                            + " does not exist",
                    "pass --kubeconfig FILE, or log in to the cluster first (oc login / kubectl config)");
        }
        asUser.ifPresent(config::setImpersonateUsername);
        // fabric8 retries a failed request ten times with exponential back-off (half a minute for an
        // unreachable server); a one-shot command should fail fast: applying again converges.
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        return new ClusterConnection(new KubernetesClientBuilder().withConfig(config).build());
    }

    /** The API server address, for progress messages (no credentials). */
    public String server() {
        return client.getMasterUrl().toString();
    }

    /**
     * The client itself, for a long-running front end that hands it to a framework ({@code strata
     * controller} gives it to the Java Operator SDK). Closed with this connection.
     */
    public KubernetesClient client() {
        return client;
    }

    public StreamsApplier applier() {
        return new StreamsApplier(client);
    }

    @Override
    public void close() {
        client.close();
    }
}
