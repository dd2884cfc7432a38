package io.strata.worker.assembly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.core.StrataException;
import io.strata.dockerfile.Dockerfile;
import io.strata.registry.Descriptor;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.registry.RegistryBlobs;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Assembles the image of a COPY-only stage without buildah: the base image's manifest and
 * configuration are read from the registry, its layers mounted into the target repository (never
 * pulled; copied blob by blob only when the registry will not mount), while each COPY is written
 * as a layer and streamed into the upload ({@link LayerUpload}); then the configuration and an OCI
 * manifest. The manifest is returned, not stored: tag_and_push puts it under its tags.
 */
public final class DirectAssembly {
    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** pigz's and gzip's default level: the limit the benchmark compares with is {@code pigz -6}. */
    private static final int LEVEL = 6;
    /** Entry times of every layer: fixed, so the same files give the same layer digest. */
    static final long ENTRY_TIME = 0;
    /** Compressed base layers read at most for a file tree; each is held in memory while it is read. */
    private static final long MAX_TREE_BYTES = 256L << 20;

    private final RegistryClient registry;
    /** Base image trees by manifest digest, the last few used. */
    private final Map<String, BaseTree> trees = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BaseTree> eldest) {
            return size() > 8;
        }
    };

    public DirectAssembly(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * Assembles {@code dockerfile}'s image into {@code target}'s repository, or returns empty (the
     * reason in {@code log}) when it is not a COPY-only stage Strata can assemble.
     */
    public Optional<AssembledImage> assemble(Dockerfile dockerfile, Map<String, String> buildArgs, Path contextDir,
            ImageReference target, Platform platform, Instant created, Consumer<String> log)
            throws StrataException, InterruptedException {
        StagePlanner.Assessment assessment;
        try {
            assessment = StagePlanner.assess(dockerfile, buildArgs, contextDir,
                    () -> baseTree(dockerfile, buildArgs, platform, log));
        } catch (IOException e) {
            log.accept("building with buildah: " + e.getMessage());
            return Optional.empty();
        }
        return switch (assessment) {
            case StagePlanner.Assessment.NotAssemblable no -> {
                log.accept("building with buildah: " + no.reason());
                yield Optional.empty();
            }
            case StagePlanner.Assessment.Assemblable yes -> Optional.of(assemble(yes.plan(), target, platform, created, log));
        };
    }

    /**
     * The tree of the stage's base image: its layers read from the registry as a stream of tar
     * headers (contents skipped, nothing stored). Kept per base digest, so a service building on
     * the same base reads it once.
     */
    private BaseTree baseTree(Dockerfile dockerfile, Map<String, String> buildArgs, Platform platform,
            Consumer<String> log) throws StrataException, IOException {
        String base = dockerfile.stage(0, buildArgs, true).image();
        if (base.equals("scratch")) {
            return BaseTree.empty();
        }
        ImageReference reference = ImageReference.parse(base);
        RegistryClient client = registry.reportingTo(log);
        ImageManifest manifest = client.manifest(reference, platform);
        synchronized (trees) {
            BaseTree known = trees.get(manifest.digest());
            if (known != null) {
                return known.copy();
            }
        }
        long layerBytes = manifest.layers().stream().mapToLong(Descriptor::size).sum();
        if (layerBytes > MAX_TREE_BYTES) {
            throw new IOException("the base image's file tree is needed (a WORKDIR, --chown or a destination without"
                    + " a trailing slash) and its layers are too large to read for it (" + (layerBytes >> 20) + " MB)");
        }
        long started = System.nanoTime();
        String user = JSON.readTree(client.blobs().blob(reference, manifest.config().digest())).path("config").path("User").asText("");
        BaseTree tree = BaseTree.empty().withUser(user);
        for (Descriptor layer : manifest.layers()) {
            tree.apply(new java.io.ByteArrayInputStream(client.blobs().blob(reference, layer.digest())));
        }
        log.accept(String.format("read the file tree of %s (%d layers) in %.2f s", base, manifest.layers().size(),
                (System.nanoTime() - started) / 1e9));
        synchronized (trees) {
            trees.put(manifest.digest(), tree.copy());
        }
        return tree;
    }

    AssembledImage assemble(AssemblyPlan plan, ImageReference target, Platform platform, Instant created,
            Consumer<String> log) throws StrataException, InterruptedException {
        RegistryClient client = registry.reportingTo(log);
        RegistryBlobs blobs = client.blobs();
        log.accept("assembling the image directly (" + plan.layers() + " layers from COPY, base "
                + plan.baseImage().orElse("scratch") + "): no buildah run");
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService compressors = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon()
                .name("strata-gzip-", 0).factory());
        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Descriptor> layers = new ArrayList<>();
            byte[] baseConfig = null;
            Future<Void> baseLayers = null;
            if (plan.baseImage().isPresent()) {
                ImageReference base = ImageReference.parse(plan.baseImage().get());
                ImageManifest manifest = client.manifest(base, platform);
                baseConfig = blobs.blob(base, manifest.config().digest());
                for (Descriptor layer : manifest.layers()) {
                    layers.add(new Descriptor(ociLayerType(layer.mediaType()), layer.digest(), layer.size()));
                }
                // Mounted while the first layer is written: both wait on different things.
                baseLayers = background.submit(() -> {
                    mountOrCopy(blobs, base, target, manifest.layers(), log);
                    return null;
                });
            }
            ImageConfigDraft config = new ImageConfigDraft(baseConfig, platform.os(), platform.architecture(),
                    platform.variant().orElse(null), created);
            LayerUpload upload = new LayerUpload(compressors, threads, LEVEL, ENTRY_TIME);
            boolean rpm = false;
            for (AssemblyPlan.Step step : plan.steps()) {
                switch (step) {
                    case AssemblyPlan.Step.Metadata metadata -> config.metadata(metadata.createdBy(), metadata.edit());
                    case AssemblyPlan.Step.Copy copy -> {
                        long started = System.nanoTime();
                        SortedMap<String, LayerEntry> entries = LayerContent.of(copy.copy());
                        BuiltLayer layer = upload.send(entries, blobs, target);
                        layers.add(layer.descriptor());
                        config.layer(layer.diffId(), copy.createdBy());
                        rpm |= layer.touchesRpmDatabase();
                        log.accept(String.format("layer %s: %d entries, %d bytes, %d compressed, in %.2f s (%s)",
                                layer.descriptor().digest(), layer.entries(), layer.uncompressedBytes(),
                                layer.descriptor().size(), (System.nanoTime() - started) / 1e9,
                                copy.copy().createdBy().strip()));
                    }
                }
            }
            byte[] configBytes = config.bytes();
            String configDigest = blobs.upload(target, configBytes);
            if (baseLayers != null) {
                waitFor(baseLayers);
            }
            byte[] manifest = manifest(new Descriptor(CONFIG_MEDIA_TYPE, configDigest, configBytes.length), layers,
                    plan.baseImage());
            long size = configBytes.length + layers.stream().mapToLong(Descriptor::size).sum();
            return new AssembledImage(manifest, sha256(manifest), MANIFEST_MEDIA_TYPE, configDigest, size,
                    layers.stream().map(Descriptor::digest).toList(), plan.baseImage(), rpm);
        } catch (IOException e) {
            throw new StrataException("ASSEMBLY_FAILED", "assembling the image from the build context failed: "
                    + e.getMessage(), "check the files the Dockerfile copies are readable; set strata_builder = buildah"
                            + " to build with buildah instead", e);
        } finally {
            compressors.shutdownNow();
        }
    }

    static void mountOrCopy(RegistryBlobs blobs, ImageReference base, ImageReference target,
            List<Descriptor> layers, Consumer<String> log) throws RegistryException {
        boolean sameRegistry = base.registry().equals(target.registry());
        for (Descriptor layer : layers) {
            if (blobs.hasBlob(target, layer.digest())) {
                continue;
            }
            if (sameRegistry && blobs.mount(target, layer.digest(), base)) {
                continue;
            }
            log.accept("copying base layer " + layer.digest() + " (" + layer.size() + " bytes) from " + base.name()
                    + ": the registry would not mount it");
            blobs.upload(target, blobs.blob(base, layer.digest()));
        }
    }

    private static void waitFor(Future<Void> task) throws StrataException, InterruptedException {
        try {
            task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StrataException failure) {
                throw failure;
            }
            throw new IllegalStateException("mounting the base layers failed", e.getCause());
        }
    }

    /** The same bytes under the OCI media type buildah's push gives them; foreign types stay. */
    static String ociLayerType(String mediaType) {
        return switch (mediaType) {
            case "application/vnd.docker.image.rootfs.diff.tar.gzip" -> LayerUpload.MEDIA_TYPE;
            case "application/vnd.docker.image.rootfs.diff.tar" -> "application/vnd.oci.image.layer.v1.tar";
            default -> mediaType;
        };
    }

    private static byte[] manifest(Descriptor config, List<Descriptor> layers, Optional<String> baseImage) {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        baseImage.ifPresent(base -> {
            annotations.put("org.opencontainers.image.base.digest", base.substring(base.indexOf('@') + 1));
            annotations.put("org.opencontainers.image.base.name", base);
        });
        return manifest(config, layers, annotations);
    }

    /** An OCI image manifest of {@code config} and {@code layers}, with {@code annotations} (none: no field), in their order. */
    static byte[] manifest(Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MANIFEST_MEDIA_TYPE);
        root.set("config", descriptor(config));
        ArrayNode array = root.putArray("layers");
        layers.forEach(layer -> array.add(descriptor(layer)));
        if (!annotations.isEmpty()) {
            ObjectNode object = root.putObject("annotations");
            annotations.forEach(object::put);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }

    private static ObjectNode descriptor(Descriptor descriptor) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", descriptor.mediaType());
        node.put("digest", descriptor.digest());
        node.put("size", descriptor.size());
        return node;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
