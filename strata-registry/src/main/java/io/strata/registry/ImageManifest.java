package io.strata.registry;

import java.util.List;

/**
 * One image's manifest (docker v2 schema 2 or OCI image manifest).
 *
 * @param mediaType the manifest's media type
 * @param digest    digest of the manifest bytes
 * @param config    the image configuration blob
 * @param layers    the layers, bottom first
 * @param size      bytes of the manifest as the registry serves them
 */
public record ImageManifest(String mediaType, String digest, Descriptor config, List<Descriptor> layers, long size)
        implements Manifest {

    public ImageManifest {
        layers = List.copyOf(layers);
    }

    /** This manifest as the {@code subject} of an artifact attached to it. */
    public SubjectManifest asSubject() {
        return new SubjectManifest(mediaType, digest, size);
    }

    /** Layer digests, bottom first. */
    public List<String> layerDigests() {
        return layers.stream().map(Descriptor::digest).toList();
    }

    /** Bytes to download for this image: the compressed layers plus the config blob. */
    public long totalSize() {
        return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }
}
