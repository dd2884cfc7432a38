package io.strata.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Small blobs a client stored in (or found in) a repository, so that storing the same one again
 * asks nothing: a blob's bytes are named by their digest, and the one stored over and over is the
 * empty config every attached document's manifest names (a HEAD per build, which against a
 * registry with Basic authentication also costs it a bcrypt check). The client deletes no blobs;
 * one deleted by someone else makes the manifest that names it fail to store, as it would have had
 * it never been stored. At most {@link #CAPACITY} are kept, the least recently used going first.
 */
final class StoredBlobs {
    static final int CAPACITY = 4_096;

    private final Set<String> stored = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CAPACITY;
                }
            }));

    boolean contains(ImageReference repository, String digest) {
        return stored.contains(key(repository, digest));
    }

    void add(ImageReference repository, String digest) {
        stored.add(key(repository, digest));
    }

    private static String key(ImageReference repository, String digest) {
        return repository.name() + "@" + digest;
    }
}
