package io.strata.worker.buildah;

import java.util.List;
import java.util.Map;

/**
 * What {@code buildah inspect} says about an image in local storage.
 *
 * @param imageId        the image id (the hex of the config digest)
 * @param configDigest   "sha256:" + the config blob's digest
 * @param manifestDigest the digest of the image's manifest in local storage (a push may re-encode
 *                       it, so the pushed digest is what {@link Buildah#push} returns)
 */
public record ImageInspection(String imageId, String configDigest, String manifestDigest,
        Map<String, String> labels, List<String> env, String os, String architecture) {
    public ImageInspection {
        labels = Map.copyOf(labels);
        env = List.copyOf(env);
    }
}
