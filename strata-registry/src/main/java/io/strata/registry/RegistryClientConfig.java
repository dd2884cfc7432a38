package io.strata.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a {@link RegistryClient} reaches registries.
 *
 * @param authFile           where credentials come from; {@link RegistryAuthFile#none()} for anonymous access
 * @param insecureRegistries registries (as {@code host} or {@code host:port}) spoken to over plain
 *                           {@code http://}; loopback registries always are, see {@link #usesPlainHttp}
 * @param connectTimeout     how long to wait for a TCP (and TLS) connection
 * @param requestTimeout     how long to wait for a whole response once a request is sent
 * @param retry              how long passing failures (unreachable, 5xx, 429) are tried again
 * @param retryProgress      told about each retry, for the build log
 */
public record RegistryClientConfig(
        RegistryAuthFile authFile, Set<String> insecureRegistries, Duration connectTimeout, Duration requestTimeout,
        RegistryRetry retry, Consumer<String> retryProgress) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for a registry under load to answer a manifest request; manifests are small. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public RegistryClientConfig {
        Objects.requireNonNull(authFile, "authFile");
        insecureRegistries = Set.copyOf(insecureRegistries);
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(retryProgress, "retryProgress");
    }

    public RegistryClientConfig(RegistryAuthFile authFile, Set<String> insecureRegistries, Duration connectTimeout,
            Duration requestTimeout) {
        this(authFile, insecureRegistries, connectTimeout, requestTimeout, RegistryRetry.none(), line -> { });
    }

    /** Anonymous access, no insecure registries besides loopback, default timeouts, no retries. */
    public static RegistryClientConfig defaults() {
        return new RegistryClientConfig(RegistryAuthFile.none(), Set.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public RegistryClientConfig withAuthFile(RegistryAuthFile newAuthFile) {
        return new RegistryClientConfig(newAuthFile, insecureRegistries, connectTimeout, requestTimeout, retry, retryProgress);
    }

    public RegistryClientConfig withInsecureRegistries(Set<String> registries) {
        return new RegistryClientConfig(authFile, registries, connectTimeout, requestTimeout, retry, retryProgress);
    }

    public RegistryClientConfig withTimeouts(Duration newConnectTimeout, Duration newRequestTimeout) {
        return new RegistryClientConfig(authFile, insecureRegistries, newConnectTimeout, newRequestTimeout, retry, retryProgress);
    }

    /** Passing failures are tried again with {@code newRetry}, each retry told to {@code progress}. */
    public RegistryClientConfig withRetry(RegistryRetry newRetry, Consumer<String> progress) {
        return new RegistryClientConfig(authFile, insecureRegistries, connectTimeout, requestTimeout, newRetry, progress);
    }

    /**
     * Whether {@code registry} is spoken to over plain HTTP: when it is listed as insecure (with or
     * without its port), or when it is on the loopback interface. Loopback traffic never leaves the
     * machine, so TLS protects nothing there, and the registries a developer or a test runs locally
     * have no certificate; docker treats 127.0.0.0/8 the same way.
     */
    public boolean usesPlainHttp(String registry) {
        String host = hostOf(registry);
        return insecureRegistries.contains(registry) || insecureRegistries.contains(host) || isLoopback(host);
    }

    private static boolean isLoopback(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.startsWith("127.") || lower.equals("[::1]");
    }

    /** {@code host} of {@code host:port}; IPv6 literals keep their brackets. */
    private static String hostOf(String registry) {
        int bracket = registry.lastIndexOf(']');
        int colon = registry.lastIndexOf(':');
        return colon > bracket ? registry.substring(0, colon) : registry;
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration: " + duration);
        }
    }
}
