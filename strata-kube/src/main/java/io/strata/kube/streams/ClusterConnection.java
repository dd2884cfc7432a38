package io.strata.kube.streams;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * @param kubeconfig a kubeconfig file; when empty, the usual lookup ($KUBECONFIG, ~/.kube/config,
     *                   in-cluster service account)
     * @param asUser     user to impersonate (like {@code oc --as}); the kubeconfig user must be allowed to
     */
    public static ClusterConnection open(Optional<Path> kubeconfig, Optional<String> asUser) throws StrataException {
        Config config;
        try {
            if (kubeconfig.isPresent()) {
                Path file = kubeconfig.get();
                if (!Files.isReadable(file)) {
                    throw new StrataException("KUBECONFIG_MISSING", "kubeconfig " + file + " does not exist or is unreadable",
                            "pass the path of a readable kubeconfig file to --kubeconfig");
                }
                config = Config.fromKubeconfig(file.toFile());
            } else {
                config = Config.autoConfigure(null);
            }
        } catch (KubernetesClientException e) {
            // The message names the file and problem; fabric8 does not include credentials in it.
            throw new StrataException("KUBECONFIG_INVALID", "cannot load kubeconfig: " + e.getMessage(),
                    "check the kubeconfig file and its current context", e);
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

    public StreamsApplier applier() {
        return new StreamsApplier(client);
    }

    @Override
    public void close() {
        client.close();
    }
}
