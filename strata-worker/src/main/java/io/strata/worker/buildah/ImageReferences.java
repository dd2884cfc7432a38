package io.strata.worker.buildah;

/** Pieces of image references ("registry/repository:tag"), for messages. */
final class ImageReferences {
    private static final String DEFAULT_REGISTRY = "docker.io";

    private ImageReferences() {}

    /**
     * The registry part of a reference: the first path component when it looks like a host
     * (has a dot or a port, or is "localhost"), else Docker Hub, as the docker CLI decides.
     */
    static String registryHost(String reference) {
        String withoutTransport = reference.startsWith("docker://") ? reference.substring("docker://".length()) : reference;
        int slash = withoutTransport.indexOf('/');
        if (slash < 0) {
            return DEFAULT_REGISTRY;
        }
        String first = withoutTransport.substring(0, slash);
        boolean looksLikeHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        return looksLikeHost ? first : DEFAULT_REGISTRY;
    }

    /** Whether the reference names its image by digest ({@code repo@sha256:...}), so it can never change. */
    static boolean isPinned(String reference) {
        return reference.contains("@sha256:") || reference.contains("@sha512:");
    }
}
