package io.strata.registry;

/**
 * What a registry holds under a tag or digest: one image's manifest or a list of per-platform
 * manifests (docker manifest list or OCI image index).
 */
public sealed interface Manifest permits ImageManifest, ManifestList {
    /** The media type the registry reported, e.g. {@link MediaTypes#OCI_INDEX}. */
    String mediaType();

    /** The digest of the manifest bytes. */
    String digest();
}
