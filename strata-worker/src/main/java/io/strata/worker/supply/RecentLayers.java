package io.strata.worker.supply;

import io.strata.registry.ImageReference;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layers read from the registry a moment ago, kept for the next reader of the same layer: read
 * once, used twice. gather_image_content's probe reads the build's own layers to see whether they
 * hold a package database, and attach_sbom reads the very same layers right after to list their
 * files. A digest names its bytes, so a kept layer never goes stale; it is kept per repository, so
 * a reader gets only what its own repository served it. Bounded: layers up to {@link #MAX_LAYER}
 * bytes, {@link #MAX_TOTAL} in all, the least recently used dropped first.
 */
public final class RecentLayers {
    /** Larger layers are not kept (a small build's own layers are far smaller). */
    public static final int MAX_LAYER = 4 << 20;
    /** Bytes kept at most. */
    public static final long MAX_TOTAL = 16L << 20;

    private final Map<String, byte[]> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long total;

    /** The bytes of blob {@code digest} of {@code repository}: kept ones, else read (and checked) now and kept. */
    public byte[] read(RegistryClient client, ImageReference repository, String digest) throws RegistryException {
        String key = key(repository, digest);
        java.util.Optional<byte[]> known = kept(key);
        if (known.isPresent()) {
            return known.get();
        }
        byte[] read = client.blobs().blob(repository, digest);
        keep(key, read);
        return read;
    }

    static String key(ImageReference repository, String digest) {
        return repository.registry() + "/" + repository.repository() + "@" + digest;
    }

    synchronized java.util.Optional<byte[]> kept(String key) {
        return java.util.Optional.ofNullable(kept.get(key));
    }

    /** Bytes kept now. */
    synchronized long keptBytes() {
        return total;
    }

    synchronized void keep(String key, byte[] bytes) {
        if (bytes.length > MAX_LAYER || kept.containsKey(key)) {
            return;
        }
        kept.put(key, bytes);
        total += bytes.length;
        Iterator<byte[]> oldest = kept.values().iterator();
        while (total > MAX_TOTAL && oldest.hasNext()) {
            total -= oldest.next().length;
            oldest.remove();
        }
    }
}
