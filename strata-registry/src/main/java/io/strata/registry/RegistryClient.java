package io.strata.registry;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads and removes manifests through the Docker Registry HTTP API v2 / OCI distribution API.
 * Thread-safe; keep one per build service and close it when done. Every failure is a
 * {@link RegistryException} whose message names the image and registry and never the credentials.
 */
public final class RegistryClient implements AutoCloseable {
    private final RegistryTransport transport;
    /** Told about each retry; the configuration's consumer unless {@link #reportingTo} chose another. */
    private final Consumer<String> progress;
    /** False for a view made by {@link #reportingTo}: its transport belongs to the client it came from. */
    private final boolean ownsTransport;

    public RegistryClient(RegistryClientConfig config) {
        this(new RegistryTransport(config, Clock.systemUTC()), config.retryProgress(), true);
    }

    private RegistryClient(RegistryTransport transport, Consumer<String> progress, boolean ownsTransport) {
        this.transport = transport;
        this.progress = progress;
        this.ownsTransport = ownsTransport;
    }

    /**
     * This client, telling {@code retries} about each retry (a step passes its build log). Shares
     * the connections and tokens; closing the view closes nothing.
     */
    public RegistryClient reportingTo(Consumer<String> retries) {
        return new RegistryClient(transport, retries, false);
    }

    /**
     * The manifest digest to pin {@code image} to for {@code platform}. When the reference names a
     * manifest list or OCI index, the entry for the platform is chosen and both digests are kept.
     *
     * @throws RegistryException {@code PLATFORM_NOT_IN_MANIFEST_LIST} when the list has no entry for the platform,
     *                           or any reason {@link #fetch} gives
     */
    public ResolvedImage resolve(ImageReference image, Platform platform) throws RegistryException {
        return switch (fetch(image)) {
            case ImageManifest manifest -> new ResolvedImage(image, manifest.digest(), manifest.mediaType(), Optional.empty());
            case ManifestList list -> {
                ManifestList.Entry entry = chooseEntry(image, platform, list);
                yield new ResolvedImage(image, entry.manifest().digest(), entry.manifest().mediaType(),
                        Optional.of(new ResolvedImage.ListChoice(list.digest(), entry.platform())));
            }
        };
    }

    /**
     * The image manifest {@code image} names.
     *
     * @throws RegistryException {@code NOT_AN_IMAGE_MANIFEST} when it names a manifest list
     *                           (use {@link #manifest(ImageReference, Platform)}), or any reason {@link #fetch} gives
     */
    public ImageManifest manifest(ImageReference image) throws RegistryException {
        return switch (fetch(image)) {
            case ImageManifest manifest -> manifest;
            case ManifestList list -> throw new RegistryException(RegistryException.Reason.NOT_AN_IMAGE_MANIFEST,
                    image + " is a manifest list (" + describePlatforms(list) + "), not a single image",
                    "name one platform's image by digest, or ask for the manifest of a platform");
        };
    }

    /** The image manifest for {@code platform}, choosing from a manifest list when {@code image} names one. */
    public ImageManifest manifest(ImageReference image, Platform platform) throws RegistryException {
        return switch (fetch(image)) {
            case ImageManifest manifest -> manifest;
            case ManifestList list -> manifest(image.pinnedTo(chooseEntry(image, platform, list).manifest().digest()));
        };
    }

    /**
     * Whatever {@code image} names: an image manifest or a manifest list. When the reference has a
     * digest, the bytes are checked against it.
     *
     * @throws RegistryException {@code IMAGE_NOT_FOUND}, {@code REGISTRY_AUTH_FAILED}, {@code REGISTRY_UNREACHABLE},
     *                           {@code DIGEST_MISMATCH}, {@code NOT_AN_IMAGE_MANIFEST} (schema 1) or {@code REGISTRY_ERROR}
     */
    public Manifest fetch(ImageReference image) throws RegistryException {
        RegistryRequest request = RegistryRequest.manifest("GET", image, image.manifestReference());
        RegistryResponse response = transport.send(request, progress);
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(request, response);
        }
        String digest = ManifestVerifier.verifiedDigest(image, response);
        return ManifestParser.parse(image, response.header("Content-Type"), digest, response.body());
    }

    /**
     * The labels of the image {@code image} names (for {@code platform} when it names a manifest
     * list), read from its configuration blob; empty when the registry holds nothing under it.
     *
     * @throws RegistryException any reason {@link #fetch} gives, or {@code DIGEST_MISMATCH} for a config blob
     *                           whose bytes do not match its digest
     */
    public Optional<Map<String, String>> labels(ImageReference image, Platform platform) throws RegistryException {
        ImageManifest manifest;
        try {
            manifest = manifest(image, platform);
        } catch (RegistryException e) {
            if (e.reasonCode() == RegistryException.Reason.IMAGE_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        byte[] config = blobs().blob(image, manifest.config().digest());
        return Optional.of(ImageConfigLabels.parse(image, config));
    }

    /** Whether the registry holds a manifest under the reference's tag (or its digest when pinned). */
    public boolean tagExists(ImageReference image) throws RegistryException {
        return succeedsUnlessNotFound(RegistryRequest.manifest("HEAD", image, image.manifestReference()));
    }

    /**
     * Deletes the manifest {@code digest} from {@code repository}'s repository, with every tag that
     * points at it. The distribution API cannot delete a tag alone; this is how half-pushed images
     * are removed. Needs a registry with deletion enabled.
     *
     * @return false when the registry did not hold that manifest (so a retried cleanup is harmless)
     */
    public boolean deleteManifest(ImageReference repository, String digest) throws RegistryException {
        return succeedsUnlessNotFound(RegistryRequest.manifest("DELETE", repository.pinnedTo(digest), digest));
    }

    /**
     * Blob calls (read, HEAD, mount, upload whole or streamed) and raw-manifest reads and writes over
     * this client's connections, tokens and retries ({@link RegistryBlobs}).
     */
    public RegistryBlobs blobs() {
        return new RegistryBlobs(transport, progress);
    }

    /** The transport, for the other clients of this package that share its connections and tokens ({@link Referrers}). */
    RegistryTransport transport() {
        return transport;
    }

    /** Where retries of this client are reported. */
    Consumer<String> progress() {
        return progress;
    }

    @Override
    public void close() {
        if (ownsTransport) {
            transport.close();
        }
    }

    /** True on success, false when the registry does not know the manifest; any other answer is an error. */
    private boolean succeedsUnlessNotFound(RegistryRequest request) throws RegistryException {
        RegistryResponse response = transport.send(request, progress);
        if (response.isSuccess()) {
            return true;
        }
        RegistryException failure = RegistryErrors.fromResponse(request, response);
        if (failure.reasonCode() == RegistryException.Reason.IMAGE_NOT_FOUND) {
            return false;
        }
        throw failure;
    }

    /**
     * Points {@code tag} of {@code repository} at the manifest {@code digest} it already holds: the
     * manifest's bytes are fetched and stored again under the tag, so the tag's digest is exactly
     * {@code digest} (a second push of the image could recompress layers and produce another).
     */
    public void tagManifest(ImageReference repository, String digest, String tag) throws RegistryException {
        RegistryBlobs blobs = blobs();
        RegistryBlobs.RawManifest manifest = blobs.manifest(repository, digest);
        blobs.putManifest(repository.withTag(tag), tag, manifest.mediaType(), manifest.bytes());
    }

    /**
     * The descriptor of the manifest {@code image} pins (media type, digest, size of its bytes),
     * as an image index refers to it.
     */
    public Descriptor describe(ImageReference image) throws RegistryException {
        RegistryRequest get = RegistryRequest.manifest("GET", image, image.manifestReference());
        RegistryResponse fetched = transport.send(get, progress);
        if (!fetched.isSuccess()) {
            throw RegistryErrors.fromResponse(get, fetched);
        }
        String digest = ManifestVerifier.verifiedDigest(image, fetched);
        return new Descriptor(fetched.header("Content-Type").orElse(MediaTypes.DOCKER_MANIFEST), digest,
                fetched.body().length);
    }

    /**
     * Stores {@code manifest} (any manifest or index, of {@code mediaType}) under {@code tag} of
     * {@code repository} and returns its digest.
     */
    public String putManifest(ImageReference repository, String tag, String mediaType, byte[] manifest)
            throws RegistryException {
        return blobs().putManifest(repository.withTag(tag), tag, mediaType, manifest);
    }

    private static ManifestList.Entry chooseEntry(ImageReference image, Platform platform, ManifestList list)
            throws RegistryException {
        return list.entryFor(platform).orElseThrow(() -> new RegistryException(RegistryException.Reason.PLATFORM_NOT_IN_MANIFEST_LIST,
                "manifest list " + image + " has no image for " + platform + "; it has " + describePlatforms(list),
                "build only for the platforms the base image offers, or use a base image built for " + platform));
    }

    private static String describePlatforms(ManifestList list) {
        return list.platforms().isEmpty()
                ? "no platforms"
                : list.platforms().stream().map(Platform::toString).collect(Collectors.joining(", "));
    }
}
