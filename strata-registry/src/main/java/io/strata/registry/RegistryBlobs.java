package io.strata.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The registry calls that write an image without a builder: read a blob and a manifest's exact
 * bytes, upload a small blob (an image config), mount a layer from another repository of the same
 * registry instead of sending it, store a manifest. Build avoidance writes a new config and
 * manifest over layers the registry has (docs/builds.md, "Build avoidance"). Obtain one from
 * {@link RegistryClient#blobs()}.
 */
public final class RegistryBlobs {
    /** A manifest as the registry holds it: its exact bytes (so its digest stays) and media type. */
    public record RawManifest(String mediaType, byte[] bytes) {}

    private final RegistryTransport transport;
    private final Consumer<String> progress;

    RegistryBlobs(RegistryTransport transport, Consumer<String> progress) {
        this.transport = transport;
        this.progress = progress;
    }

    /** The bytes of blob {@code digest} of {@code repository}, checked against the digest. */
    public byte[] blob(ImageReference repository, String digest) throws RegistryException {
        RegistryRequest request = RegistryRequest.blob(repository, digest);
        RegistryResponse response = transport.sendFollowingRedirect(request, progress);
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(request, response);
        }
        if (!Digests.sameAlgorithmAs(digest, response.body()).equals(digest)) {
            throw new RegistryException(RegistryException.Reason.DIGEST_MISMATCH, "registry " + repository.registry()
                    + " sent blob " + digest + " of " + repository.name() + " with other bytes",
                    "check the registry's storage; the blob may be corrupt");
        }
        return response.body();
    }

    /** Whether {@code repository} holds blob {@code digest}. */
    public boolean hasBlob(ImageReference repository, String digest) throws RegistryException {
        RegistryRequest request = new RegistryRequest("HEAD", repository, "blobs/" + digest, List.of(), "pull", Optional.empty());
        RegistryResponse response = transport.send(request, progress);
        if (response.isSuccess()) {
            return true;
        }
        RegistryException failure = RegistryErrors.fromResponse(request, response);
        if (failure.reasonCode() == RegistryException.Reason.IMAGE_NOT_FOUND || response.status() == 404) {
            return false;
        }
        throw failure;
    }

    /**
     * The digest of the manifest {@code image} names, from a HEAD request (no body is sent: cheap to
     * ask often); for a manifest list it is the list's digest. Empty when the registry has none.
     */
    public Optional<String> manifestDigest(ImageReference image) throws RegistryException {
        RegistryRequest request = RegistryRequest.manifest("HEAD", image, image.manifestReference());
        RegistryResponse response = transport.send(request, progress);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(request, response);
        }
        return Optional.of(response.header("Docker-Content-Digest").orElseThrow(() -> new RegistryException(
                RegistryException.Reason.REGISTRY_ERROR, "registry " + image.registry() + " answered HEAD " + image
                + " without a Docker-Content-Digest header", "use a registry that implements the distribution API v2")));
    }

    /** The manifest {@code digest} of {@code repository}, byte for byte. */
    public RawManifest manifest(ImageReference repository, String digest) throws RegistryException {
        RegistryRequest request = RegistryRequest.manifest("GET", repository.pinnedTo(digest), digest);
        RegistryResponse response = transport.send(request, progress);
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(request, response);
        }
        return new RawManifest(response.header("Content-Type").orElse(MediaTypes.DOCKER_MANIFEST), response.body());
    }

    /**
     * Makes blob {@code digest} of repository {@code from} (same registry) a blob of {@code target}
     * without sending its bytes. False when the registry would not mount it (it then opened an
     * upload instead, which is left to expire): the caller sends the bytes.
     */
    public boolean mount(ImageReference target, String digest, String from) throws RegistryException {
        RegistryRequest request = new RegistryRequest("POST", target, "blobs/uploads/?mount=" + encode(digest) + "&from="
                + encode(from), List.of(), "pull,push", Optional.of(new RegistryRequest.Body("application/octet-stream", new byte[0])));
        RegistryResponse response = transport.send(request, progress);
        if (response.status() == 201) {
            return true;
        }
        if (response.status() == 202) {
            return false;
        }
        throw RegistryErrors.fromResponse(request, response);
    }

    /** Uploads {@code bytes} as one blob (monolithic: POST for an upload, PUT with the digest) and returns its digest. */
    public String upload(ImageReference target, byte[] bytes) throws RegistryException {
        String digest = Digests.sha256(bytes);
        if (hasBlob(target, digest)) {
            return digest;
        }
        RegistryRequest start = new RegistryRequest("POST", target, "blobs/uploads/", List.of(), "pull,push",
                Optional.of(new RegistryRequest.Body("application/octet-stream", new byte[0])));
        RegistryResponse started = transport.send(start, progress);
        if (started.status() != 202) {
            throw RegistryErrors.fromResponse(start, started);
        }
        String location = started.header("Location").orElseThrow(() -> new RegistryException(
                RegistryException.Reason.REGISTRY_ERROR, "registry " + target.registry() + " opened an upload to "
                + target.name() + " without saying where (no Location header)", "check the registry's version and logs"));
        String path = pathBelowRepository(target, location);
        RegistryRequest put = new RegistryRequest("PUT", target, path + (path.contains("?") ? "&" : "?") + "digest="
                + encode(digest), List.of(), "pull,push", Optional.of(new RegistryRequest.Body("application/octet-stream", bytes)));
        RegistryResponse stored = transport.send(put, progress);
        if (stored.status() != 201) {
            throw RegistryErrors.fromResponse(put, stored);
        }
        return digest;
    }

    /** Stores {@code manifest} under {@code reference} (a tag or its digest) of {@code target}; returns its digest. */
    public String putManifest(ImageReference target, String reference, String mediaType, byte[] manifest)
            throws RegistryException {
        RegistryRequest put = RegistryRequest.putManifest(target, reference, mediaType, manifest);
        RegistryResponse stored = transport.send(put, progress);
        if (!stored.isSuccess()) {
            throw RegistryErrors.fromResponse(put, stored);
        }
        return Digests.sha256(manifest);
    }

    /** The upload URL the registry gave, as a path below {@code /v2/<repository>/} (requests are made so). */
    static String pathBelowRepository(ImageReference target, String location) throws RegistryException {
        URI uri = URI.create(location);
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String prefix = "/v2/" + target.repository() + "/";
        if (!pathAndQuery.startsWith(prefix)) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "registry " + target.registry()
                    + " opened an upload at " + uri.getRawPath() + ", outside repository " + target.repository(),
                    "check the registry's version and logs");
        }
        return pathAndQuery.substring(prefix.length());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
