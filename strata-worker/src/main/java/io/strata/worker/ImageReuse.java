package io.strata.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.core.StrataException;
import io.strata.core.build.ImageOutput;
import io.strata.registry.ImageReference;
import io.strata.registry.RegistryBlobs;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Puts an earlier build's image to use again instead of building (docs/builds.md, "Build
 * avoidance"): {@link #retag} points the new build's tags at the very manifest an earlier build
 * pushed; {@link #withNewRelease} writes a new image config (new {@code release} and
 * {@code build-date} labels) and manifest over the earlier build's layers, which stay in the
 * registry (mounted from the earlier repository when this one differs), and pushes those two small
 * blobs. Neither checks anything out or runs a builder.
 */
public final class ImageReuse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient registry;

    public ImageReuse(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * Whether the registry still holds the earlier image's manifest. A GET by digest, not a HEAD: the
     * client keeps a manifest read by digest, so {@link #retag} and {@link #withNewRelease} then read it
     * from memory, one round trip fewer for every reused build.
     */
    public boolean available(ImageOutput earlier) throws StrataException {
        try {
            registry.blobs().manifest(ImageReference.parse(earlier.repository()), earlier.digest());
            return true;
        } catch (RegistryException e) {
            if (e.reasonCode() == RegistryException.Reason.IMAGE_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Refuses (PRIMARY_TAG_TAKEN, as tag_and_push does) a primary tag of {@code repositoryName} that
     * holds an image of another component: two components sharing a name label must not move each
     * other's {@code version-release} tag.
     */
    public void requirePrimaryTagFree(String repositoryName, String primaryTag, String component,
            io.strata.registry.Platform platform) throws StrataException {
        ImageReference primary = ImageReference.parse(repositoryName).withTag(primaryTag);
        Optional<Map<String, String>> existing = registry.labels(primary, platform);
        String owner = existing.map(labels -> labels.getOrDefault(AddLabelsStep.COMPONENT, "")).orElse(component);
        if (!owner.equals(component)) {
            throw new StrataException("PRIMARY_TAG_TAKEN", primary + " already holds an image of "
                    + (owner.isEmpty() ? "an unknown component" : "component " + owner) + ", not of " + component,
                    "give this component its own name label, or build another version or release (the request's release field)");
        }
    }

    /**
     * The earlier image under {@code tags} (unique tag first) of the same repository; the new build's
     * output. The manifest is read once and its very bytes are stored under every tag.
     */
    public ReusedImage retag(ImageOutput earlier, List<String> tags, Consumer<String> log) throws StrataException {
        RegistryBlobs blobs = registry.reportingTo(log).blobs();
        ImageReference repository = ImageReference.parse(earlier.repository());
        RegistryBlobs.RawManifest manifest = blobs.manifest(repository, earlier.digest());
        for (String tag : tags) {
            blobs.putManifest(repository.withTag(tag), tag, manifest.mediaType(), manifest.bytes());
        }
        log.accept("reused " + earlier.pullspec() + " as " + String.join(", ", tags));
        String configDigest = parse(manifest.bytes(), earlier.pullspec()).path("config").path("digest").asText();
        return new ReusedImage(new ImageOutput(earlier.platform(), earlier.repository(), earlier.digest(), tags,
                earlier.sizeBytes(), earlier.layerDigests(), earlier.components(), earlier.labels(), earlier.parentImages()),
                imageId(configDigest), manifest.mediaType());
    }

    /** An image id as buildah prints one: the config digest without its algorithm. */
    private static String imageId(String configDigest) {
        return configDigest.substring(configDigest.indexOf(':') + 1);
    }

    /**
     * A new image in {@code repositoryName} ({@code host/name}) with the earlier one's layers and a
     * config whose {@code release} label is {@code release} and {@code build-date} is {@code now}.
     */
    public ReusedImage withNewRelease(ImageOutput earlier, String repositoryName, String release, Instant now,
            List<String> tags, Consumer<String> log) throws StrataException {
        RegistryBlobs blobs = registry.reportingTo(log).blobs();
        ImageReference from = ImageReference.parse(earlier.repository());
        ImageReference target = ImageReference.parse(repositoryName);
        RegistryBlobs.RawManifest manifest = blobs.manifest(from, earlier.digest());
        ObjectNode manifestJson = parse(manifest.bytes(), earlier.pullspec());
        JsonNode configDescriptor = manifestJson.path("config");
        String configDigest = configDescriptor.path("digest").asText();
        ObjectNode config = parse(blobs.blob(from, configDigest), earlier.pullspec() + " config");
        String buildDate = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        Map<String, String> changed = Map.of(AddLabelsStep.RELEASE, release, "build-date", buildDate);
        io.strata.worker.assembly.ConfigLabels.set(config, changed);
        config.put("created", DateTimeFormatter.ISO_INSTANT.format(now));
        byte[] configBytes = write(config);
        if (!from.name().equals(target.name())) {
            for (String layer : earlier.layerDigests()) {
                if (!blobs.hasBlob(target, layer) && !blobs.mount(target, layer, from)) {
                    blobs.upload(target, blobs.blob(from, layer));
                }
            }
            log.accept("mounted " + earlier.layerDigests().size() + " layers from " + from.name() + " into " + target.name());
        }
        String newConfigDigest = blobs.upload(target, configBytes);
        ObjectNode newConfig = (ObjectNode) manifestJson.get("config");
        newConfig.put("digest", newConfigDigest);
        newConfig.put("size", configBytes.length);
        byte[] manifestBytes = write(manifestJson);
        String digest = null;
        List<String> pushed = new ArrayList<>();
        for (String tag : tags) {
            digest = blobs.putManifest(target, tag, manifest.mediaType(), manifestBytes);
            pushed.add(tag);
        }
        long size = earlier.sizeBytes() - configDescriptor.path("size").asLong() + configBytes.length;
        Map<String, String> labels = new LinkedHashMap<>(earlier.labels());
        labels.putAll(changed);
        log.accept("pushed " + target.name() + "@" + digest + " as " + String.join(", ", pushed) + ": a new config over the "
                + earlier.layerDigests().size() + " layers of " + earlier.pullspec());
        return new ReusedImage(new ImageOutput(earlier.platform(), target.name(), digest, pushed, size,
                earlier.layerDigests(), earlier.components(), labels, earlier.parentImages()), imageId(newConfigDigest),
                manifest.mediaType());
    }

    private static ObjectNode parse(byte[] bytes, String what) throws RegistryException {
        try {
            if (JSON.readTree(bytes) instanceof ObjectNode node) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "the registry holds no JSON object as " + what,
                "check the registry's storage; build again with --no-cache");
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
