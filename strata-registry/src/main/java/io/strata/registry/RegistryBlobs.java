package io.strata.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The registry's blob and raw-manifest calls, for everything that writes an image without a
 * builder: build avoidance (a new config and manifest over layers the registry has, docs/builds.md),
 * direct assembly (layers streamed as they are packed), and OCI artifacts ({@link Referrers}). Reads
 * a blob or a manifest's exact bytes, asks whether a blob is there, mounts a blob from another
 * repository of the same registry instead of sending it, uploads a blob (whole or streamed), stores
 * a manifest. Every call goes through the client's {@link RegistryRetry} (a streamed body chunk by
 * chunk, {@link StreamedUpload}) and
 * reports retries to its progress consumer. Obtain one from {@link RegistryClient#blobs()}; it
 * shares the client's connections and tokens. Failures are {@link RegistryException}s naming the
 * repository, never the credentials.
 */
public final class RegistryBlobs {
    /** A manifest as the registry holds it: its exact bytes (so its digest stays) and media type. */
    public record RawManifest(String mediaType, byte[] bytes) {}

    private static final String OCTET_STREAM = "application/octet-stream";
    /** The waits between a manifest PUT refused for a blob it could not read and the next one: 1.55 s in all. */
    static final List<Duration> UNREAD_BLOB_WAITS = List.of(Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));

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
     * Makes blob {@code digest} of {@code from} (same registry) a blob of {@code target} without
     * sending its bytes. False when the registry would not (another registry's policy, no pull right
     * on {@code from}): it then opened an ordinary upload, which is cancelled, and the caller sends
     * the bytes.
     */
    public boolean mount(ImageReference target, String digest, ImageReference from) throws RegistryException {
        RegistryRequest request = RegistryRequest.startUpload(target, "?mount=" + encoded(digest) + "&from="
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

    /**
     * Stores {@code content} as a blob of {@code target} (monolithic: POST for an upload, PUT with
     * the digest, both retried) unless the repository holds it already (asked once per client:
     * {@link StoredBlobs}); returns its digest.
     */
    public String upload(ImageReference target, byte[] content) throws RegistryException {
        String digest = Digests.sha256(content);
        StoredBlobs stored = transport.storedBlobs();
        if (stored.contains(target, digest)) {
            return digest;
        }
        if (!hasBlob(target, digest)) {
            finishUpload(target, openUpload(target), content);
        }
        stored.add(target, digest);
        return digest;
    }

    /**
     * Opens an upload in {@code target} whose bytes come later ({@link #finishUpload}): a blob not
     * yet written can have its upload opened while it is being written. Returns the upload's path
     * below the repository. An upload never finished expires in the registry by itself.
     */
    public String openUpload(ImageReference target) throws RegistryException {
        return pathBelowRepository(target, startedLocation(RegistryRequest.startUpload(target, "")));
    }

    /** Stores {@code content} through the upload {@link #openUpload} opened at {@code path}; returns its digest. */
    public String finishUpload(ImageReference target, String path, byte[] content) throws RegistryException {
        String digest = Digests.sha256(content);
        RegistryRequest put = new RegistryRequest("PUT", target, withDigest(path, digest), List.of(), "pull,push",
                Optional.of(new RegistryRequest.Body(OCTET_STREAM, content)));
        RegistryResponse stored = transport.send(put, progress);
        if (stored.status() != 201) {
            throw failed(put, stored);
        }
        return digest;
    }

    /**
     * Streams a blob whose digest is known only once it has been read: {@code content} is sent as it
     * is produced, then {@code digestWhenRead} gives the digest that closes the upload. A PATCH that
     * fails in a passing way is sent again from where the registry stopped ({@link StreamedUpload});
     * the stream is read once, so an upload session the registry lost cannot be started over: use
     * {@link #upload(ImageReference, StreamedBlob)} when the bytes can be produced again.
     *
     * @return the digest {@code digestWhenRead} gave
     */
    public String upload(ImageReference target, InputStream content, Callable<String> digestWhenRead)
            throws RegistryException {
        return upload(target, StreamedBlob.once(content, digestWhenRead));
    }

    /**
     * Streams {@code blob} into {@code target} in chunked PATCHes, each resent from where the
     * registry stopped after a passing failure, the whole blob opened again in a new session when the
     * registry lost the session ({@link StreamedUpload}); returns the digest the blob gave.
     */
    public String upload(ImageReference target, StreamedBlob blob) throws RegistryException {
        return upload(target, blob, StreamedUpload.DEFAULT_CHUNK_SIZE);
    }

    String upload(ImageReference target, StreamedBlob blob, int chunkSize) throws RegistryException {
        return new StreamedUpload(transport, progress, target, chunkSize).send(blob, () -> {
            RegistryRequest start = RegistryRequest.startUpload(target, "");
            return new StreamedUpload.Session(start, startedLocation(start));
        });
    }

    /** Stores {@code manifest} under {@code reference} (a tag or its digest) of {@code target}; returns its digest. */
    public String putManifest(ImageReference target, String reference, String mediaType, byte[] manifest)
            throws RegistryException {
        store(target, reference, mediaType, manifest);
        return Digests.sha256(manifest);
    }

    /**
     * Stores an artifact manifest under its digest and says whether the registry indexed its subject
     * itself: a registry with the referrers API answers with the subject's digest in {@code OCI-Subject}.
     */
    boolean putSubjectIndexed(ImageReference target, String mediaType, byte[] manifest, String subjectDigest)
            throws RegistryException {
        String digest = Digests.sha256(manifest);
        return store(target.pinnedTo(digest), digest, mediaType, manifest).header("OCI-Subject")
                .filter(subjectDigest::equals).isPresent();
    }

    /**
     * Stores a manifest. A registry that cannot read, at that instant, a blob the manifest names is
     * asked again a few times within about a second ({@link #UNREAD_BLOB_WAITS}): Strata sends every
     * blob before the manifest that names it, so such a refusal means another client is storing the
     * same blob in the same repository at the same moment (distribution's filesystem storage rewrites
     * the repository's link to a blob in place, and a manifest checked while it is rewritten reads it
     * empty: {@code DIGEST_INVALID} with {@code MANIFEST_BLOB_UNKNOWN}), or the registry's storage is
     * only eventually consistent (S3). A blob that really is missing still fails, a second later.
     */
    private RegistryResponse store(ImageReference target, String reference, String mediaType, byte[] manifest)
            throws RegistryException {
        RegistryRequest put = RegistryRequest.putManifest(target, reference, mediaType, manifest);
        for (int attempt = 0; ; attempt++) {
            RegistryResponse stored = transport.send(put, progress);
            if (stored.isSuccess()) {
                return stored;
            }
            RegistryException refused = RegistryErrors.fromResponse(put, stored);
            if (attempt == UNREAD_BLOB_WAITS.size() || !RegistryErrors.blobUnread(stored)) {
                throw refused;
            }
            Duration wait = UNREAD_BLOB_WAITS.get(attempt);
            progress.accept("registry " + target.registry() + " could not read a blob the manifest names ("
                    + refused.getMessage() + "); another push may be storing it at this moment: trying again in "
                    + wait.toMillis() + " ms");
            pause(wait, target);
        }
    }

    private void pause(Duration wait, ImageReference target) throws RegistryException {
        try {
            transport.retry().pause(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.unreachable(target.registry(), "interrupted while waiting to try again", e);
        }
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

    /** An unexpected answer to an upload step; a 2xx other than the one the API names is not success either. */
    static RegistryException failed(RegistryRequest request, RegistryResponse response) {
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

    static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + encoded(digest);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
