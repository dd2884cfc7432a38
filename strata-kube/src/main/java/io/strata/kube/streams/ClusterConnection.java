package io.strata.kube.streams;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Opens a client for the cluster of a kubeconfig, optionally impersonating another user. */
public final class ClusterConnection {
    private ClusterConnection() {}

    /**
     * @param kubeconfig a kubeconfig file; when empty, the usual lookup ($KUBECONFIG, ~/.kube/config,
     *                   in-cluster service account)
     * @param asUser     user to impersonate (like {@code oc --as}); the kubeconfig user must be allowed to
     */
    public static KubernetesClient open(Optional<Path> kubeconfig, Optional<String> asUser) throws StrataException {
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
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
