package io.strata.local.buildah;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells from buildah's error output why talking to a registry failed. buildah (through
 * containers/image) has no machine-readable error codes, so this matches the wording of the Go
 * libraries underneath: the registry's "unauthorized" answer and net's dial errors.
 */
final class RegistryFailureClassifier {
    enum Cause { AUTHENTICATION, UNREACHABLE }

    private static final List<String> AUTHENTICATION = List.of(
            "unauthorized", "authentication required", "invalid username/password", "401 unauthorized");
    private static final List<String> UNREACHABLE = List.of(
            "connection refused", "no such host", "network is unreachable", "no route to host",
            "i/o timeout", "server misbehaving", "connection reset by peer");

    private RegistryFailureClassifier() {}

    static Optional<Cause> classify(String errorOutput) {
        String text = errorOutput.toLowerCase(Locale.ROOT);
        if (AUTHENTICATION.stream().anyMatch(text::contains)) {
            return Optional.of(Cause.AUTHENTICATION);
        }
        if (UNREACHABLE.stream().anyMatch(text::contains)) {
            return Optional.of(Cause.UNREACHABLE);
        }
        return Optional.empty();
    }
}
