package io.strata.worker.assembly;

import java.util.List;
import java.util.Optional;

/**
 * An image Strata assembled: every blob is in the target repository, the manifest is not yet
 * stored under any tag (tag_and_push does that).
 *
 * @param manifest           the manifest's bytes, exactly as they will be stored
 * @param digest             their digest
 * @param mediaType          the manifest's media type (OCI)
 * @param configDigest       the configuration's digest: the image id, as buildah names images
 * @param sizeBytes          configuration plus every layer, compressed
 * @param layerDigests       the layers in order, the base image's first
 * @param baseImage          the digest-pinned base image; empty for scratch
 * @param touchesRpmDatabase whether a layer of Strata's writes into an rpm database directory
 */
public record AssembledImage(byte[] manifest, String digest, String mediaType, String configDigest, long sizeBytes,
        List<String> layerDigests, Optional<String> baseImage, boolean touchesRpmDatabase) {
    public AssembledImage {
        manifest = manifest.clone();
        layerDigests = List.copyOf(layerDigests);
    }

    @Override
    public byte[] manifest() {
        return manifest.clone();
    }

    /** The image id as buildah writes it: the configuration digest's hex. */
    public String imageId() {
        return configDigest.substring(configDigest.indexOf(':') + 1);
    }
}
