package io.strata.kube.streams;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.strata.core.StrataException;
import io.strata.core.io.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
     * @param kubeconfig  a kubeconfig file named by the user; when empty, {@link #findKubeconfig} looks
     * @param asUser      user to impersonate (like {@code oc --as}); the kubeconfig user must be allowed to
     * @param environment the caller's environment ({@code KUBECONFIG}, {@code KUBERNETES_SERVICE_HOST}); never
     *                    read from the process here, so a test's cluster call cannot reach the user's cluster
     * @param userHome    for {@code ~/.kube/config}
     */
    public static ClusterConnection open(Optional<Path> kubeconfig, Optional<String> asUser, Map<String, String> environment,
            Path userHome) throws StrataException {
        Optional<Path> file = kubeconfig.isPresent() ? kubeconfig : findKubeconfig(environment, userHome);
        Config config;
        if (file.isPresent()) {
            config = load(file.get(), kubeconfig.isPresent() ? "--kubeconfig" : "$KUBECONFIG");
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

    /**
     * {@code $KUBECONFIG} (a path list, as kubectl reads it; the first file that exists is used), else
     * {@code ~/.kube/config}. A {@code $KUBECONFIG} naming only missing files is an error, not a silent
     * fall-back to an in-cluster address that cannot resolve.
     */
    public static Optional<Path> findKubeconfig(Map<String, String> environment, Path userHome) throws StrataException {
        String variable = environment.getOrDefault("KUBECONFIG", "");
        if (!variable.isBlank()) {
            List<Path> listed = Stream.of(variable.split(java.io.File.pathSeparator)).filter(p -> !p.isBlank()).map(Path::of).toList();
            return Optional.of(listed.stream().filter(Files::exists).findFirst().orElseThrow(() -> new StrataException(
                    "KUBECONFIG_MISSING", "$KUBECONFIG names " + variable + ", which does not exist",
                    "point KUBECONFIG at your kubeconfig file (or unset it to use ~/.kube/config), or pass --kubeconfig FILE")));
        }
        Path home = userHome.resolve(".kube/config");
        return Files.exists(home) ? Optional.of(home) : Optional.empty();
    }

    private static Config load(Path file, String namedBy) throws StrataException {
        try {
            TextFiles.readUtf8(file); // a clear message for a missing, directory or non-UTF-8 file
        } catch (TextFiles.UnreadableTextException e) {
            throw new StrataException(e.kind() == TextFiles.UnreadableTextException.Kind.MISSING ? "KUBECONFIG_MISSING" : "KUBECONFIG_INVALID",
                    "kubeconfig " + file + " (" + namedBy + ") " + e.problem(),
                    e.kind() == TextFiles.UnreadableTextException.Kind.MISSING ? "give the path of a kubeconfig file" : e.fix());
        }
        Config config;
        try {
            config = Config.fromKubeconfig(file.toFile());
        } catch (RuntimeException e) {
            // fabric8 fails with its own or with the YAML parser's exceptions; the first line says what and where.
            // Neither puts credentials in the message.
            String problem = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            if (problem.startsWith("Cannot construct instance") || problem.startsWith("Cannot deserialize")) {
                // Jackson's words name fabric8's Java types; the user wrote YAML.
                problem = "it is not a kubeconfig (a mapping with apiVersion, clusters, contexts and users)";
            }
            throw new StrataException("KUBECONFIG_INVALID", "kubeconfig " + file + " cannot be read: " + problem,
                    "check the file with `kubectl --kubeconfig " + file + " config view`");
        }
        if (config.getCurrentContext() == null) {
            throw new StrataException("KUBECONFIG_INVALID", "kubeconfig " + file + " has no current context",
                    "select one with `kubectl --kubeconfig " + file + " config use-context NAME`");
        }
        return config;
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
