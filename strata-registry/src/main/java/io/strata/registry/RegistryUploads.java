package io.strata.registry;

import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Writes to a registry through the distribution API: blobs (streamed, or mounted from another
 * repository of the same registry), and manifests. Made by {@link RegistryClient#uploads()}, whose
 * connections and tokens it shares. Every failure is a {@link RegistryException} naming the
 * repository, never the credentials.
 */
public final class RegistryUploads {
    private final RegistryTransport transport;
    private final Consumer<String> progress;

    RegistryUploads(RegistryTransport transport, Consumer<String> progress) {
        this.transport = transport;
        this.progress = progress;
    }

    /** Whether {@code repository} holds blob {@code digest}. */
    public boolean blobExists(ImageReference repository, String digest) throws RegistryException {
        RegistryRequest request = RegistryRequest.blobHead(repository, digest);
        RegistryResponse response = transport.send(request, progress);
        if (response.isSuccess()) {
            return true;
        }
        if (response.status() == 404) {
            return false;
        }
        throw RegistryErrors.fromResponse(request, response);
    }

    /**
     * Mounts blob {@code digest} of {@code from} (same registry) into {@code repository} without
     * sending its bytes. False when the registry would not (another registry's policy, no pull
     * right on {@code from}): then the blob has to be sent.
     */
    public boolean mount(ImageReference repository, String digest, ImageReference from) throws RegistryException {
        RegistryRequest request = RegistryRequest.startUpload(repository, "?mount=" + encoded(digest) + "&from="
                + encoded(from.repository()));
        RegistryResponse response = transport.send(request, progress);
        if (response.status() == 201) {
            return true;
        }
        if (response.status() == 202) {
            // The registry started an ordinary upload instead; it expires by itself if not cancelled.
            response.header("Location").ifPresent(location -> cancelQuietly(request, location));
            return false;
        }
        throw RegistryErrors.fromResponse(request, response);
    }

    /** The bytes of blob {@code digest} (an image configuration), checked against the digest. */
    public byte[] blob(ImageReference repository, String digest) throws RegistryException {
        RegistryRequest request = RegistryRequest.blob(repository, digest);
        RegistryResponse response = transport.sendFollowingRedirect(request, progress);
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(request, response);
        }
        if (!Digests.sameAlgorithmAs(digest, response.body()).equals(digest)) {
            throw new RegistryException(RegistryException.Reason.DIGEST_MISMATCH, "registry " + repository.registry()
                    + " sent blob " + digest + " of " + repository.name() + " with other content",
                    "check the registry's storage; the blob may be corrupt");
        }
        return response.body();
    }

    /** Stores {@code content} as a blob of {@code repository}; returns its digest ({@code sha256:...}). */
    public String upload(ImageReference repository, byte[] content) throws RegistryException {
        String digest = Digests.sha256(content);
        RegistryRequest start = RegistryRequest.startUpload(repository, "");
        String location = startedLocation(start);
        finish(start, location, digest, HttpRequest.BodyPublishers.ofByteArray(content));
        return digest;
    }

    /**
     * Streams a blob whose digest is known only once it has been read: {@code content} is sent as it
     * is produced (one chunked PATCH), then {@code digestWhenRead} gives the digest that closes the
     * upload. Not retried: a stream cannot be sent twice.
     *
     * @return the digest {@code digestWhenRead} gave
     */
    public String upload(ImageReference repository, InputStream content, Callable<String> digestWhenRead)
            throws RegistryException {
        RegistryRequest start = RegistryRequest.startUpload(repository, "");
        String location = startedLocation(start);
        RegistryResponse patched = transport.sendToLocation(start, "PATCH", location,
                HttpRequest.BodyPublishers.ofInputStream(() -> content));
        if (patched.status() != 202) {
            throw failed(start, patched);
        }
        String digest;
        try {
            digest = digestWhenRead.call();
        } catch (RegistryException e) {
            throw e;
        } catch (Exception e) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "the content of a blob for "
                    + repository.name() + " could not be produced: " + e.getMessage(), "see the build log above", e);
        }
        finish(start, patched.header("Location").orElse(location), digest, HttpRequest.BodyPublishers.noBody());
        return digest;
    }

    /** Stores a manifest under {@code reference} (a tag or its digest); returns its digest. */
    public String putManifest(ImageReference repository, String reference, String mediaType, byte[] manifest)
            throws RegistryException {
        RegistryRequest put = RegistryRequest.putManifest(repository, reference, mediaType, manifest);
        RegistryResponse stored = transport.send(put, progress);
        if (!stored.isSuccess()) {
            throw RegistryErrors.fromResponse(put, stored);
        }
        return Digests.sha256(manifest);
    }

    private String startedLocation(RegistryRequest start) throws RegistryException {
        RegistryResponse started = transport.send(start, progress);
        if (started.status() != 202) {
            throw failed(start, started);
        }
        return started.header("Location").orElseThrow(() -> new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                "registry " + start.image().registry() + " started an upload to " + start.image().repository()
                        + " without saying where to send it (no Location header)",
                "use a registry that implements the distribution API's blob uploads"));
    }

    private void finish(RegistryRequest start, String location, String digest, HttpRequest.BodyPublisher body)
            throws RegistryException {
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + encoded(digest);
        RegistryResponse done = transport.sendToLocation(start, "PUT", target, body);
        if (done.status() != 201) {
            throw failed(start, done);
        }
    }

    private RegistryException failed(RegistryRequest request, RegistryResponse response) {
        return response.isSuccess()
                ? new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "registry " + request.image().registry()
                        + " answered HTTP " + response.status() + " to an upload to " + request.image().repository(),
                        "use a registry that implements the distribution API's blob uploads")
                : RegistryErrors.fromResponse(request, response);
    }

    private void cancelQuietly(RegistryRequest start, String location) {
        try {
            transport.sendToLocation(start, "DELETE", location, HttpRequest.BodyPublishers.noBody());
        } catch (RegistryException ignored) {
            // an abandoned upload session expires in the registry by itself
        }
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
