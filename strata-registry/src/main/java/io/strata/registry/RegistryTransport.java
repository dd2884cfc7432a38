package io.strata.registry;

import io.strata.core.io.SchemeClients;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Sends registry API calls and deals with authentication: the first call goes out anonymously
 * (or with what an earlier call to the same registry needed); on 401 the {@code WWW-Authenticate}
 * challenge decides between Basic credentials and a Bearer token, and the call is sent once more.
 * A 401 or 403 after that is {@code REGISTRY_AUTH_FAILED}. Authorization header values are never
 * put in messages.
 */
final class RegistryTransport implements AutoCloseable {
    /** Docker Hub's API lives on a different host from its name in references. */
    private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

    private final RegistryClientConfig config;
    private final RegistryRetry retry;
    private final SchemeClients http;
    private final BearerTokens tokens;
    /** Manifests fetched by digest, for the next GET of the same one (they never change). */
    private final RecentManifests recentManifests = new RecentManifests();
    /** Small blobs stored (or found) through this client, not asked about again. */
    private final StoredBlobs storedBlobs = new StoredBlobs();
    /** Registries that answered with a Basic challenge: send credentials up front from then on. */
    private final Set<String> basicAuthRegistries = ConcurrentHashMap.newKeySet();

    RegistryTransport(RegistryClientConfig config, Clock clock) {
        this.config = config;
        this.retry = config.retry();
        this.http = new SchemeClients(() -> HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // Manifest and token endpoints answer directly; a redirect could carry credentials elsewhere.
                .followRedirects(HttpClient.Redirect.NEVER));
        this.tokens = new BearerTokens(clock);
    }

    /** Small blobs stored (or found) through this client. */
    StoredBlobs storedBlobs() {
        return storedBlobs;
    }

    /** How long passing failures are tried again; callers that retry a sequence of their own use it. */
    RegistryRetry retry() {
        return retry;
    }

    /**
     * Sends the request, trying again while the registry fails in a passing way (unreachable, 5xx,
     * 429) for as long as the configured retry timeout allows.
     */
    RegistryResponse send(RegistryRequest request, Consumer<String> progress) throws RegistryException {
        return recentManifests.answer(request, () -> sendRetrying(request, progress));
    }

    private RegistryResponse sendRetrying(RegistryRequest request, Consumer<String> progress) throws RegistryException {
        String registry = request.image().registry();
        try {
            return retry.call(registry, "calling " + request.describe(), () -> {
                RegistryResponse response = sendOnce(request);
                if (response.status() >= 500 || response.status() == 429) {
                    throw RegistryErrors.fromResponse(request, response);
                }
                return response;
            }, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.unreachable(registry, "interrupted while waiting to try again", e);
        }
    }

    /**
     * {@link #send} for a blob: a registry may redirect blob downloads to its storage (S3, a CDN);
     * the redirect is followed once, without the registry's Authorization header.
     */
    RegistryResponse sendFollowingRedirect(RegistryRequest request, Consumer<String> progress) throws RegistryException {
        RegistryResponse response = send(request, progress);
        Optional<String> location = response.header("Location");
        if (response.status() < 300 || response.status() >= 400 || location.isEmpty()) {
            return response;
        }
        URI target = baseUri(request.image().registry()).resolve(location.get());
        HttpResponse<byte[]> redirected = exchangeRaw(HttpRequest.newBuilder(target).timeout(config.requestTimeout()).GET().build(),
                target.getHost());
        return new RegistryResponse(redirected.statusCode(), redirected.headers(), redirected.body());
    }

    private RegistryResponse sendOnce(RegistryRequest request) throws RegistryException {
        Optional<String> known = knownAuthorization(request);
        HttpResponse<byte[]> response = exchange(request, known);
        if (response.statusCode() == 401) {
            String authorization = authorize(request, response);
            response = exchange(request, Optional.of(authorization));
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw RegistryErrors.authFailed(request.image(), "HTTP " + response.statusCode() + " to "
                        + request.describe() + " even with " + credentialsWording(request), config.authFile());
            }
        } else if (response.statusCode() == 403) {
            throw RegistryErrors.authFailed(request.image(), "HTTP 403 to " + request.describe(), config.authFile());
        }
        return new RegistryResponse(response.statusCode(), response.headers(), response.body());
    }

    /**
     * Sends a streamed body to an upload location the registry handed out ({@code Location} of a
     * {@code POST blobs/uploads/}), with the authorization {@code started} needed. Sent once, never
     * retried here: a body may be a stream, so the caller decides what to resend ({@link StreamedUpload}).
     * HTTP/1.1, so the body goes out chunked as it is produced.
     */
    RegistryResponse sendToLocation(RegistryRequest started, String method, String location,
            HttpRequest.BodyPublisher body) throws RegistryException {
        URI uri = baseUri(started.image().registry()).resolve(location);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .version(HttpClient.Version.HTTP_1_1)
                .method(method, body)
                .header("Content-Type", "application/octet-stream");
        knownAuthorization(started).ifPresent(value -> builder.header("Authorization", value));
        HttpResponse<byte[]> response = exchangeRaw(builder.build(), started.image().registry());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw RegistryErrors.authFailed(started.image(), "HTTP " + response.statusCode() + " to " + method
                    + " of an upload to " + started.image().repository(), config.authFile());
        }
        return new RegistryResponse(response.statusCode(), response.headers(), response.body());
    }

    /** The base URL of a registry's API, with the scheme {@link RegistryClientConfig#usesPlainHttp} picks. */
    URI baseUri(String registry) {
        String host = registry.equals(ReferenceGrammar.DEFAULT_REGISTRY) ? DOCKER_HUB_API_HOST : registry;
        return URI.create((config.usesPlainHttp(registry) ? "http://" : "https://") + host + "/v2/");
    }

    /** Whether TLS was set up: only once an https registry (or a redirect to https) was called. */
    boolean tlsStarted() {
        return http.tlsMade();
    }

    @Override
    public void close() {
        http.close();
    }

    private Optional<String> knownAuthorization(RegistryRequest request) {
        String registry = request.image().registry();
        if (basicAuthRegistries.contains(registry)) {
            return config.authFile().credentialsFor(request.image()).map(Credentials::basicAuthorization);
        }
        return tokens.cached(registry, request.scope()).map(token -> "Bearer " + token);
    }

    private String authorize(RegistryRequest request, HttpResponse<byte[]> unauthorized) throws RegistryException {
        List<AuthChallenge> challenges = unauthorized.headers().allValues("WWW-Authenticate").stream()
                .flatMap(header -> AuthChallenge.parse(header).stream())
                .toList();
        Optional<Credentials> credentials = config.authFile().credentialsFor(request.image());
        Optional<AuthChallenge.Bearer> bearer = challenges.stream()
                .filter(AuthChallenge.Bearer.class::isInstance).map(AuthChallenge.Bearer.class::cast).findFirst();
        if (bearer.isPresent()) {
            try {
                return "Bearer " + tokens.fetch(request, bearer.get(), credentials, config.authFile(),
                        config.requestTimeout(), this::exchangeRaw);
            } catch (IllegalArgumentException e) {
                throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                        "registry " + request.image().registry() + " named a token service that is not a URL",
                        "check the registry's auth.token.realm setting", e);
            }
        }
        if (challenges.stream().anyMatch(AuthChallenge.Basic.class::isInstance)) {
            Credentials basic = credentials.orElseThrow(() -> RegistryErrors.authFailed(request.image(),
                    "it requires a user name and password and there are none for " + request.image().registry(),
                    config.authFile()));
            basicAuthRegistries.add(request.image().registry());
            return basic.basicAuthorization();
        }
        throw RegistryErrors.authFailed(request.image(),
                "HTTP 401 without a Basic or Bearer challenge Strata understands", config.authFile());
    }

    private String credentialsWording(RegistryRequest request) {
        return config.authFile().credentialsFor(request.image()).isPresent()
                ? "the credentials from " + config.authFile().describe()
                : "anonymous access (no credentials for " + request.image().registry() + " in "
                        + config.authFile().describe() + ")";
    }

    private HttpResponse<byte[]> exchange(RegistryRequest request, Optional<String> authorization)
            throws RegistryException {
        URI uri = baseUri(request.image().registry()).resolve(request.image().repository() + "/" + request.path());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .method(request.method(), request.body()
                        .map(body -> HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                        .orElseGet(HttpRequest.BodyPublishers::noBody));
        request.body().ifPresent(body -> builder.header("Content-Type", body.contentType()));
        if (!request.accept().isEmpty()) {
            builder.header("Accept", String.join(", ", request.accept()));
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return exchangeRaw(builder.build(), request.image().registry());
    }

    /** One HTTP exchange; every way of not getting an answer becomes {@code REGISTRY_UNREACHABLE} naming {@code host}. */
    private HttpResponse<byte[]> exchangeRaw(HttpRequest request, String host) throws RegistryException {
        try {
            return http.forUri(request.uri()).send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw RegistryErrors.unreachable(host, "no connection within " + describe(config.connectTimeout()), e, true);
        } catch (HttpTimeoutException e) {
            throw RegistryErrors.unreachable(host, "no answer within " + describe(config.requestTimeout()), e, true);
        } catch (ConnectException e) {
            // The JDK reports an unknown host name as a ConnectException too; that one does not pass.
            boolean unresolved = e.getCause() instanceof UnresolvedAddressException;
            throw RegistryErrors.unreachable(host, unresolved ? "the host name does not resolve" : "connection refused",
                    e, !unresolved);
        } catch (SSLException e) {
            throw RegistryErrors.unreachable(host, "TLS handshake failed (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            // Connection reset or closed half-way: a registry restarting.
            throw RegistryErrors.unreachable(host, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.unreachable(host, "interrupted while waiting for the answer", e);
        }
    }

    private static String describe(Duration timeout) {
        return timeout.toMillisPart() == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
    }
}
