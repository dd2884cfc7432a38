package io.strata.kube.streams;

import io.fabric8.kubernetes.client.Config;
import io.strata.core.StrataException;
import io.strata.core.io.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finding and reading a kubeconfig, with one clear message for each way it can be wrong. Every
 * front end that talks to a cluster (streams apply, the controller, the cluster engines) reads its
 * kubeconfig here.
 */
public final class Kubeconfigs {
    private Kubeconfigs() {}

    /**
     * {@code $KUBECONFIG} (a path list, as kubectl reads it; the first file that exists is used), else
     * {@code ~/.kube/config}. A {@code $KUBECONFIG} naming only missing files is an error, not a silent
     * fall-back to an in-cluster address that cannot resolve.
     */
    public static Optional<Path> find(Map<String, String> environment, Path userHome) throws StrataException {
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

    /**
     * The client configuration of {@code context} in {@code file} (empty: its current context).
     *
     * @param namedBy where the file's name came from ({@code --kubeconfig}, {@code $KUBECONFIG},
     *                {@code strata_kubeconfig}), for the message when it cannot be read
     */
    public static Config load(Path file, Optional<String> context, String namedBy) throws StrataException {
        String text;
        try {
            text = TextFiles.readUtf8(file); // a clear message for a missing, directory or non-UTF-8 file
        } catch (TextFiles.UnreadableTextException e) {
            boolean missing = e.kind() == TextFiles.UnreadableTextException.Kind.MISSING;
            throw new StrataException(missing ? "KUBECONFIG_MISSING" : "KUBECONFIG_INVALID",
                    "kubeconfig " + file + " (" + namedBy + ") " + e.problem(),
                    missing ? "give the path of a kubeconfig file (" + namedBy + ")" : e.fix());
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context.orElse(null), text, file.toString());
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
        if (config.getCurrentContext() == null || config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new StrataException("KUBECONFIG_INVALID", "kubeconfig " + file + " has no "
                    + context.map(c -> "context named " + c).orElse("current context"),
                    context.map(c -> "add the context " + c + " or fix the cluster name in the reactor config's clusters:")
                            .orElse("select one with `kubectl --kubeconfig " + file + " config use-context NAME`"));
        }
        return config;
    }
}
