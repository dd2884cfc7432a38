package io.strata.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Manifests a client fetched by digest, kept for the next GET of the same one: a manifest's bytes
 * are named by their digest and never change, and a build reads the manifest it has just pushed
 * up to five times (each tag pointed at it, the read-back, the content probe, the attachments'
 * subject). At most {@link #CAPACITY} are kept, the least recently used going first; one larger
 * than {@link #MAX_BYTES} is not kept. A manifest deleted through the same client is forgotten.
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

    /** The answer kept for {@code request}, a GET of a manifest by digest, when its media type is one asked for. */
    synchronized Optional<RegistryResponse> answer(RegistryRequest request) {
        return key(request, "GET").map(byKey::get).filter(kept -> request.accept().isEmpty() || kept.header("Content-Type")
                .map(type -> request.accept().contains(type.split(";", 2)[0].strip())).orElse(false));
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
