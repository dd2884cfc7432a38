package io.strata.worker.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.registry.Descriptor;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryBlobs;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.worker.buildah.StorageLocation;
import io.strata.worker.buildah.StorageRecords;
import io.strata.worker.buildah.TarSplit;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Pushes an image buildah built straight from its local storage, in this process, instead of
 * running {@code buildah push}: the image's config as buildah stored it, with the labels Strata
 * sets written over its own ({@link ConfigLabels#folded}: without labels to set, the pushed config,
 * and the image id, are buildah's to the byte); the base image's layers mounted from the parent's
 * repository (they are in the registry already: the parent was pulled from it by digest); each of
 * the build's own layers rebuilt from its tar-split ({@link TarSplit}, the tar whose digest is the
 * layer's diff id, checked), gzipped on every core while it is sent ({@link LayerUpload}); then an
 * OCI manifest like buildah's, with the annotations buildah stored. What it saves: buildah's start
 * and storage opening, its blob look-ups, and the read-back after the push (the manifest is the one
 * written here); the tags can then be set without reading the manifest back either.
 *
 * <p>Only when all of that is certain: any doubt (not OCI, a parent not in storage or not in the
 * registry's shape, a file missing, a diff id that does not match, a registry call that fails)
 * gives nothing, with the reason logged, and the caller pushes with buildah as before. A blob sent
 * before the doubt arose is left unreferenced; the registry's garbage collection takes it.
 */
public final class StoredImagePush {
    /** The image's blobs in the registry and its manifest written: the manifest's digest, the manifest, its bytes. */
    public record Written(String digest, ImageManifest manifest, byte[] bytes) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    /** pigz's and gzip's default level, as for assembled layers; buildah's own push uses the same. */
    private static final int LEVEL = 6;
    /** Own layers up to this many bytes (uncompressed) are gzipped in memory and sent in one PUT. */
    private static final long IN_MEMORY = 8L << 20;

    private final RegistryClient registry;

    public StoredImagePush(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * Pushes image {@code imageId}, built on {@code parents} (digest-pinned; none for FROM
     * scratch), for {@code platform}, with {@code labels} set in its config, to {@code repository}
     * under {@code tag}; empty (the reason in {@code log}) when it cannot be done with certainty.
     */
    public Optional<Written> push(StorageLocation storage, String imageId, Collection<String> parents, Platform platform,
            Map<String, String> labels, ImageReference repository, String tag, Consumer<String> log)
            throws InterruptedException, RegistryException {
        Optional<Written> written = sendBlobs(storage, imageId, parents, platform, labels, repository, log);
        if (written.isPresent()) {
            store(written.get(), repository, tag, log);
        }
        return written;
    }

    /**
     * Sends image {@code imageId}'s blobs, as {@link #push} does, and writes its manifest without
     * storing it: the caller stores it under each of its tags at once ({@link #store}). Empty (the
     * reason in {@code log}) when it cannot be done with certainty.
     */
    public Optional<Written> sendBlobs(StorageLocation storage, String imageId, Collection<String> parents,
            Platform platform, Map<String, String> labels, ImageReference repository, Consumer<String> log)
            throws InterruptedException, RegistryException {
        try {
            return Optional.of(send(plan(storage, imageId, parents, labels), platform, repository, log));
        } catch (RegistryException e) {
            if (e.reasonCode() == RegistryException.Reason.REGISTRY_UNREACHABLE) {
                // Retried until the configured timeout already: buildah would wait as long again for the same
                // registry. The push fails here, in one sentence like buildah's push failure.
                String message = e.getMessage();
                int last = message.lastIndexOf("; last error: ");
                throw new RegistryException(RegistryException.Reason.REGISTRY_UNREACHABLE, "registry "
                        + repository.registry() + " kept failing while pushing " + repository.name() + " from local storage"
                        + (last < 0 ? "" : message.substring(last)), e.hint(), e);
            }
            return doubted(e, log);
        } catch (Doubt | IOException e) {
            return doubted(e, log);
        }
    }

    /** Why buildah pushes instead, logged; nothing when the build was cancelled. */
    private static Optional<Written> doubted(Exception e, Consumer<String> log) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled while pushing from local storage");
        }
        log.accept("pushing with buildah: the image could not be pushed from local storage (" + e.getMessage() + ")");
        return Optional.empty();
    }

    /** What to send: the config, the stored manifest's annotations, the base to mount from, the own layers. */
    private record Plan(byte[] config, Map<String, String> annotations, Optional<ImageReference> base,
            int baseLayers, List<StorageRecords.Layer> own, StorageRecords records) {}

    private static Plan plan(StorageLocation storage, String imageId, Collection<String> parents,
            Map<String, String> labels) throws IOException, RegistryException, Doubt {
        StorageRecords records = StorageRecords.read(storage);
        StorageRecords.Image image = records.image(imageId).orElseThrow(() -> new Doubt("image " + imageId + " is not in storage"));
        JsonNode stored = JSON.readTree(records.data(image, "manifest"));
        if (!DirectAssembly.MANIFEST_MEDIA_TYPE.equals(stored.path("mediaType").asText())
                || !CONFIG_MEDIA_TYPE.equals(stored.path("config").path("mediaType").asText())) {
            throw new Doubt("it is stored as " + stored.path("mediaType").asText("an unknown format") + ", not as an OCI image");
        }
        byte[] config = records.data(image, "sha256:" + image.id());
        if (!sha256(config).equals("sha256:" + image.id())) {
            throw new Doubt("its stored config does not match its id");
        }
        List<StorageRecords.Layer> chain = image.topLayer().flatMap(records::chain)
                .orElseThrow(() -> new Doubt("its layer list is incomplete")).reversed();
        List<String> diffIds = new ArrayList<>();
        JSON.readTree(config).path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        if (!diffIds.equals(chain.stream().map(StorageRecords.Layer::diffDigest).toList())) {
            throw new Doubt("its config's layers are not its stored layers");
        }
        // The base: the parent whose top layer is highest in the chain (a multi-stage build's other
        // parents left no layer in it); none when the last stage is FROM scratch.
        Optional<ImageReference> base = Optional.empty();
        int baseLayers = 0;
        for (String parent : parents) {
            int at = parent.lastIndexOf('@');
            StorageRecords.Image pulled = (at < 0 ? Optional.<StorageRecords.Image>empty()
                    : records.imageWithDigest(parent.substring(at + 1)))
                    .orElseThrow(() -> new Doubt("the parent " + parent + " is not in storage by its digest"));
            String top = pulled.topLayer().orElse("");
            for (int i = chain.size() - 1; i >= baseLayers; i--) {
                if (chain.get(i).id().equals(top)) {
                    base = Optional.of(ImageReference.parse(parent));
                    baseLayers = i + 1;
                    break;
                }
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        stored.path("annotations").properties().forEach(entry -> annotations.put(entry.getKey(), entry.getValue().asText()));
        return new Plan(ConfigLabels.folded(config, labels), annotations, base, baseLayers,
                chain.subList(baseLayers, chain.size()), records);
    }

    /** Stores the manifest {@code written} under {@code tag} of {@code repository}; retries reported to {@code log}. */
    public void store(Written written, ImageReference repository, String tag, Consumer<String> log) throws RegistryException {
        registry.reportingTo(log).blobs().putManifest(repository, tag, written.manifest().mediaType(), written.bytes());
    }

    private Written send(Plan plan, Platform platform, ImageReference repository, Consumer<String> log)
            throws RegistryException, IOException, InterruptedException, Doubt {
        RegistryClient client = registry.reportingTo(log);
        RegistryBlobs blobs = client.blobs();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService compressors = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon()
                .name("strata-gzip-", 0).factory());
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            // Every blob at once: the base's mounted, the config and each own layer sent, their uploads
            // opened while the bytes are made (no HEAD first: a blob just made is new; one that is not, a
            // reproduced layer, is only stored again).
            Future<List<Descriptor>> base = calls.submit(() -> baseLayers(plan, platform, client, repository, log));
            Future<String> configUpload = calls.submit(() -> blobs.openUpload(repository));
            Future<String> config = calls.submit(() -> blobs.finishUpload(repository, join(configUpload), plan.config()));
            LayerUpload upload = new LayerUpload(compressors, threads, LEVEL, 0);
            List<Future<BuiltLayer>> own = new ArrayList<>();
            for (StorageRecords.Layer layer : plan.own()) {
                LayerUpload.TarSource tar = out -> TarSplit.replay(plan.records().tarSplit(layer.id()),
                        plan.records().layerDirectory(layer.id()), out);
                if (layer.diffSize() >= 0 && layer.diffSize() <= IN_MEMORY) {
                    Future<String> opened = calls.submit(() -> blobs.openUpload(repository));
                    own.add(calls.submit(() -> sendSmall(tar, blobs, repository, opened)));
                } else {
                    own.add(calls.submit(() -> upload.send(tar, 0, false, blobs, repository)));
                }
            }
            List<Descriptor> layers = new ArrayList<>(join(base));
            for (int i = 0; i < own.size(); i++) {
                BuiltLayer built = join(own.get(i));
                StorageRecords.Layer layer = plan.own().get(i);
                if (!built.diffId().equals(layer.diffDigest())) {
                    throw new Doubt("layer " + layer.id() + " rebuilt as " + built.diffId() + ", not " + layer.diffDigest());
                }
                log.accept("Copying blob " + built.descriptor().digest() + " (layer " + layer.id().substring(0, 12)
                        + " from local storage, " + built.uncompressedBytes() + " bytes, " + built.descriptor().size()
                        + " gzipped)");
                layers.add(built.descriptor());
            }
            Descriptor configDescriptor = new Descriptor(CONFIG_MEDIA_TYPE, join(config), plan.config().length);
            byte[] manifest = DirectAssembly.manifest(configDescriptor, layers, plan.annotations());
            String digest = sha256(manifest);
            return new Written(digest, new ImageManifest(DirectAssembly.MANIFEST_MEDIA_TYPE, digest, configDescriptor,
                    layers, manifest.length), manifest);
        } finally {
            compressors.shutdownNow();
        }
    }

    /**
     * A small layer gzipped in memory and sent with one PUT into the upload opened while it was made:
     * for a layer of a few files, a streamed upload's extra PATCH costs more than the compression.
     */
    private static BuiltLayer sendSmall(LayerUpload.TarSource tar, RegistryBlobs blobs, ImageReference repository,
            Future<String> opened) throws IOException, RegistryException, InterruptedException, Doubt {
        MessageDigest tarHash = sha256Digest();
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        long size;
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(compressed, 64 * 1024)) {
            java.security.DigestOutputStream hashed = new java.security.DigestOutputStream(gzip, tarHash);
            CountingStream counted = new CountingStream(hashed);
            tar.writeTo(counted);
            counted.flush();
            size = counted.count;
        }
        byte[] blob = compressed.toByteArray();
        String digest = blobs.finishUpload(repository, join(opened), blob);
        return new BuiltLayer(new Descriptor(LayerUpload.MEDIA_TYPE, digest, blob.length),
                "sha256:" + HexFormat.of().formatHex(tarHash.digest()), 0, size, false);
    }

    /** Counts the bytes written through it. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        private long count;

        CountingStream(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }

    /** The base image's layers as its registry manifest lists them, mounted (or copied) into {@code repository}. */
    private static List<Descriptor> baseLayers(Plan plan, Platform platform, RegistryClient client,
            ImageReference repository, Consumer<String> log) throws RegistryException, Doubt {
        if (plan.base().isEmpty()) {
            return List.of();
        }
        ImageReference base = plan.base().get();
        ImageManifest manifest = client.manifest(base, platform);
        if (manifest.layers().size() != plan.baseLayers()) {
            throw new Doubt("the base " + base + " has " + manifest.layers().size() + " layers in the registry, "
                    + plan.baseLayers() + " in storage");
        }
        DirectAssembly.mountOrCopy(client.blobs(), base, repository, manifest.layers(), log);
        return manifest.layers().stream()
                .map(layer -> new Descriptor(DirectAssembly.ociLayerType(layer.mediaType()), layer.digest(), layer.size()))
                .toList();
    }

    private static <T> T join(Future<T> future) throws RegistryException, IOException, InterruptedException, Doubt {
        try {
            return future.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RegistryException registryFailure -> throw registryFailure;
                case IOException ioFailure -> throw ioFailure;
                case Doubt doubt -> throw doubt;
                case InterruptedException interrupted -> throw interrupted;
                default -> throw new IllegalStateException("pushing from local storage failed unexpectedly", e.getCause());
            }
        }
    }

    private static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Why the image is not pushed from storage: buildah pushes it. */
    private static final class Doubt extends Exception {
        Doubt(String reason) {
            super(reason, null, false, false);
        }
    }
}
