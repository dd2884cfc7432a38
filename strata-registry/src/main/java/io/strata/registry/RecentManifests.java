package io.strata.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Manifests a client fetched by digest, kept for the next GET of the same one: a manifest's bytes
 * are named by their digest and never change, and a build reads the manifest it has just pushed
 * up to five times (each tag pointed at it, the read-back, the content probe, the attachments'
 * subject), several of those at the same moment: a GET asked for while the same one is under way
 * waits for that one's answer instead of going out too. At most {@link #CAPACITY} are kept, the
 * least recently used going first; one larger than {@link #MAX_BYTES} is not kept. A manifest
 * deleted through the same client is forgotten.
 */
final class RecentManifests {
    static final int CAPACITY = 256;
    static final int MAX_BYTES = 1 << 20;

    private final Map<String, RegistryResponse> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RegistryResponse> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Sends a request to the registry. */
    @FunctionalInterface
    interface Sender {
        RegistryResponse send() throws RegistryException;
    }

    /** GETs of manifests by digest under way, for callers asking for the same one meanwhile. */
    private final java.util.concurrent.ConcurrentMap<String, java.util.concurrent.CompletableFuture<RegistryResponse>> underWay =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The answer to {@code request}: the one kept for it, or the one of the same GET under way, or
     * {@code sender}'s, which is then kept when it is a manifest fetched by digest (and forgotten
     * for a DELETE of one). A failure of the GET under way is not shared: each waiting caller then
     * sends its own.
     */
    RegistryResponse answer(RegistryRequest request, Sender sender) throws RegistryException {
        Optional<RegistryResponse> kept = answer(request);
        if (kept.isPresent()) {
            return kept.get();
        }
        Optional<String> key = key(request, "GET");
        if (key.isEmpty()) {
            RegistryResponse response = sender.send();
            record(request, response);
            return response;
        }
        var mine = new java.util.concurrent.CompletableFuture<RegistryResponse>();
        var earlier = underWay.putIfAbsent(key.get(), mine);
        if (earlier != null) {
            Optional<RegistryResponse> shared = awaitShared(earlier);
            if (shared.isPresent() && acceptable(request, shared.get())) {
                return shared.get();
            }
            RegistryResponse response = sender.send();
            record(request, response);
            return response;
        }
        try {
            RegistryResponse response = sender.send();
            record(request, response);
            mine.complete(response);
            return response;
        } catch (RuntimeException | RegistryException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            underWay.remove(key.get(), mine);
        }
    }

    private static Optional<RegistryResponse> awaitShared(java.util.concurrent.CompletableFuture<RegistryResponse> earlier) {
        try {
            return Optional.of(earlier.get());
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean acceptable(RegistryRequest request, RegistryResponse response) {
        return request.accept().isEmpty() || response.header("Content-Type")
                .map(type -> request.accept().contains(type.split(";", 2)[0].strip())).orElse(false);
    }

    /** The answer kept for {@code request}, a GET of a manifest by digest, when its media type is one asked for. */
    synchronized Optional<RegistryResponse> answer(RegistryRequest request) {
        return key(request, "GET").map(byKey::get).filter(kept -> acceptable(request, kept));
    }

    /** Keeps {@code response} when {@code request} is a GET of a manifest by digest that succeeded; forgets one deleted. */
    synchronized void record(RegistryRequest request, RegistryResponse response) {
        key(request, "DELETE").ifPresent(byKey::remove);
        if (response.status() == 200 && response.body().length <= MAX_BYTES) {
            key(request, "GET").ifPresent(key -> byKey.put(key, response));
        }
    }

    private static Optional<String> key(RegistryRequest request, String method) {
        if (!request.method().equals(method) || !request.path().startsWith("manifests/sha256:")) {
            return Optional.empty();
        }
        return Optional.of(request.image().registry() + "/" + request.image().repository() + "/" + request.path());
    }
}
