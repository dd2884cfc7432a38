package io.strata.registry;

/**
 * A pointer to content in a registry: what kind it is, its digest and its size in bytes.
 *
 * @param mediaType e.g. {@code application/vnd.oci.image.layer.v1.tar+gzip}
 * @param digest    {@code sha256:...}
 * @param size      size in bytes of the (compressed) content
 */
public record Descriptor(String mediaType, String digest, long size) {
    public Descriptor {
        if (mediaType == null || mediaType.isEmpty()) {
            throw new IllegalArgumentException("descriptor media type is empty");
        }
        ReferenceGrammar.digestProblem(digest).ifPresent(problem -> {
            throw new IllegalArgumentException("descriptor: " + problem);
        });
        if (size < 0) {
            throw new IllegalArgumentException("descriptor size is negative: " + size);
        }
    }
}
