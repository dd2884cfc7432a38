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
 */
public record PushedImage(String repository, String digest, List<String> tags, long sizeBytes, List<String> layerDigests) {
    public PushedImage {
        tags = List.copyOf(tags);
        layerDigests = List.copyOf(layerDigests);
    }

    public String pullspec() {
        return repository + "@" + digest;
    }
}
