package io.strata.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets Bearer tokens from a registry's token service (the docker token protocol) and keeps them
 * until shortly before they expire, one per registry and scope, so that a build resolving many
 * images does not ask the token service for each request.
 */
final class BearerTokens {
    /** The protocol's default lifetime when the service does not say. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    /** Renew this long before expiry so a token never runs out in flight. */
    private static final Duration RENEW_MARGIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenJson(String token, @JsonProperty("access_token") String accessToken,
                     @JsonProperty("expires_in") Long expiresIn) {}

    private record CacheKey(String registry, String scope) {}

    private record CachedToken(String token, Instant renewAt) {}

    /** Sends one HTTP exchange; the transport's, so that timeouts and failures are handled in one place. */
    @FunctionalInterface
    interface Exchange {
        HttpResponse<byte[]> send(HttpRequest request, String host) throws RegistryException;
    }

    private final Clock clock;
    private final Map<CacheKey, CachedToken> cache = new ConcurrentHashMap<>();

    BearerTokens(Clock clock) {
        this.clock = clock;
    }

    /** A token for {@code scope} on {@code registry} that has not yet expired, if one was fetched. */
    Optional<String> cached(String registry, String scope) {
        CachedToken cached = cache.get(new CacheKey(registry, scope));
        return cached != null && clock.instant().isBefore(cached.renewAt()) ? Optional.of(cached.token()) : Optional.empty();
    }

    /**
     * Asks the challenge's token service for a token, with credentials when there are any
     * (anonymous pulls of public images need none), and caches it under {@code scope}.
     */
    String fetch(RegistryRequest request, AuthChallenge.Bearer challenge, Optional<Credentials> credentials,
                 RegistryAuthFile authFile, Duration timeout, Exchange exchange) throws RegistryException {
        URI tokenUri = tokenUri(challenge, request.scope());
        HttpRequest.Builder builder = HttpRequest.newBuilder(tokenUri).timeout(timeout).GET();
        credentials.ifPresent(c -> builder.header("Authorization", c.basicAuthorization()));
        HttpResponse<byte[]> response = exchange.send(builder.build(), tokenUri.getAuthority());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw RegistryErrors.authFailed(request.image(), "its token service " + tokenUri.getAuthority() + " refused "
                    + (credentials.isPresent() ? "the credentials" : "anonymous access (no credentials found)"), authFile);
        }
        if (status != 200) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                    "token service " + tokenUri.getAuthority() + " for registry " + request.image().registry()
                            + " answered HTTP " + status,
                    "check the token service's log; retry if it is temporary");
        }
        TokenJson json = parse(response.body(), request, tokenUri);
        String token = json.token() != null && !json.token().isEmpty() ? json.token() : json.accessToken();
        if (token == null || token.isEmpty()) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                    "token service " + tokenUri.getAuthority() + " answered without a token",
                    "check the token service's configuration");
        }
        remember(request.image().registry(), request.scope(), token, Optional.ofNullable(json.expiresIn()));
        return token;
    }

    /**
     * Keeps {@code token} until {@code RENEW_MARGIN} before it expires (half its lifetime for
     * short-lived tokens); {@code expiresInSeconds} is the token service's {@code expires_in}.
     */
    void remember(String registry, String scope, String token, Optional<Long> expiresInSeconds) {
        Duration lifetime = expiresInSeconds.filter(seconds -> seconds > 0).map(Duration::ofSeconds).orElse(DEFAULT_LIFETIME);
        Duration margin = lifetime.compareTo(RENEW_MARGIN.multipliedBy(2)) > 0 ? RENEW_MARGIN : lifetime.dividedBy(2);
        cache.put(new CacheKey(registry, scope), new CachedToken(token, clock.instant().plus(lifetime).minus(margin)));
    }

    /** The realm with {@code service} and {@code scope} query parameters; the challenge's scope wins. */
    static URI tokenUri(AuthChallenge.Bearer challenge, String requestScope) {
        StringBuilder uri = new StringBuilder(challenge.realm());
        char separator = challenge.realm().contains("?") ? '&' : '?';
        if (challenge.service().isPresent()) {
            uri.append(separator).append("service=").append(encode(challenge.service().get()));
            separator = '&';
        }
        uri.append(separator).append("scope=").append(encode(challenge.scope().orElse(requestScope)));
        return URI.create(uri.toString());
    }

    private static TokenJson parse(byte[] body, RegistryRequest request, URI tokenUri) throws RegistryException {
        try {
            return JSON.readValue(body, TokenJson.class);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                    "token service " + tokenUri.getAuthority() + " for registry " + request.image().registry()
                            + " answered with something other than a JSON token",
                    "check that the registry's auth realm points at a docker token service");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
