package io.strata.registry;

import java.util.List;

/**
 * One call to a registry's v2 API.
 *
 * @param method HTTP method: GET, HEAD, PUT or DELETE
 * @param image  which registry and repository; its tag and digest play no part in the URL
 * @param path   path below {@code /v2/<repository>/}, e.g. {@code manifests/latest}
 * @param accept media types to accept (empty for none)
 * @param action the token scope action this call needs: {@code pull}, {@code pull,push} or {@code delete}
 * @param body   what a PUT sends: its content type and bytes
 */
record RegistryRequest(String method, ImageReference image, String path, List<String> accept, String action,
        java.util.Optional<Body> body) {

    /** A request body with its media type. */
    record Body(String contentType, byte[] bytes) {}

    RegistryRequest {
        accept = List.copyOf(accept);
    }

    static RegistryRequest manifest(String method, ImageReference image, String reference) {
        String action = method.equals("DELETE") ? "delete" : "pull";
        return new RegistryRequest(method, image, "manifests/" + reference, MediaTypes.ACCEPTED, action, java.util.Optional.empty());
    }

    /** Reads a blob (an image config) by digest. */
    static RegistryRequest blob(ImageReference image, String digest) {
        return new RegistryRequest("GET", image, "blobs/" + digest, List.of(), "pull", java.util.Optional.empty());
    }

    /** Stores {@code manifest} (bytes exactly as fetched, so its digest stays the same) under {@code reference}. */
    static RegistryRequest putManifest(ImageReference image, String reference, String mediaType, byte[] manifest) {
        return new RegistryRequest("PUT", image, "manifests/" + reference, List.of(), "pull,push",
                java.util.Optional.of(new Body(mediaType, manifest)));
    }

    /**
     * Starts a blob upload ({@code POST blobs/uploads/}), or, with {@code query} naming
     * {@code mount} and {@code from}, asks the registry to mount a blob of another repository.
     */
    static RegistryRequest startUpload(ImageReference image, String query) {
        return new RegistryRequest("POST", image, "blobs/uploads/" + query, List.of(), "pull,push", java.util.Optional.empty());
    }

    /** Whether a blob is in the repository ({@code HEAD blobs/DIGEST}). */
    static RegistryRequest blobHead(ImageReference image, String digest) {
        return new RegistryRequest("HEAD", image, "blobs/" + digest, List.of(), "pull", java.util.Optional.empty());
    }

    /** The docker token protocol scope for this call, e.g. {@code repository:team/app:pull}. */
    String scope() {
        return "repository:" + image.repository() + ":" + action;
    }

    /** For messages: method and path, never headers. */
    String describe() {
        return method + " /v2/" + image.repository() + "/" + path;
    }
}
