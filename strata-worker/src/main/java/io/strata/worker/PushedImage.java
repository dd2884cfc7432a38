package io.strata.worker;

import java.util.List;

/**
 * What tag_and_push put into the registry, as the registry serves it back.
 *
 * @param repository   registry host and repository, e.g. {@code 127.0.0.1:5000/strata-demo/hello}
 * @param digest       the manifest digest buildah reported through --digestfile
 * @param tags         every tag pushed, unique tag first
 * @param sizeBytes    compressed layers plus config, from the manifest
 * @param layerDigests layer digests, bottom first, from the manifest
 * @param configDigest the config's digest, from the manifest: the pushed image's id (its hex) is
 *                     not the local image's when tag_and_push set labels in the config it pushed;
 *                     empty until the manifest is known
 */
public record PushedImage(String repository, String digest, List<String> tags, long sizeBytes, List<String> layerDigests,
        String configDigest) {
    public PushedImage {
        tags = List.copyOf(tags);
        layerDigests = List.copyOf(layerDigests);
    }

    /** Before the manifest is known: no config digest yet. */
    public PushedImage(String repository, String digest, List<String> tags, long sizeBytes, List<String> layerDigests) {
        this(repository, digest, tags, sizeBytes, layerDigests, "");
    }

    /** The pushed image's id as buildah names an image: the config digest's hex. */
    public String imageId() {
        return configDigest.substring(configDigest.indexOf(':') + 1);
    }

    public String pullspec() {
        return repository + "@" + digest;
    }
}
