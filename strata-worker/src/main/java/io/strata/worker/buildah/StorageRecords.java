package io.strata.worker.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * containers-storage's records of the images and layers buildah keeps, read as files: the image
 * list, the layer list, an image's stored data (its config, its manifest) and a layer's tar-split.
 * Read without containers-storage's locks: it replaces its JSON files whole (written aside,
 * renamed), and an image's layers and data never change once it is committed. One snapshot per
 * instance: read it after the image in question was made.
 */
public final class StorageRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Layers walked down from an image's top at most (a loop in a damaged list must not hang a build). */
    private static final int MAX_DEPTH = 1_000;

    /** An image: its id (its config's digest, without {@code sha256:}), its top layer, the manifest digests it is known by. */
    public record Image(String id, Optional<String> topLayer, Set<String> digests) {
        public Image {
            digests = Set.copyOf(digests);
        }
    }

    /** A layer: its parent (empty at the bottom) and the digest and size of its uncompressed tar. */
    public record Layer(String id, String parent, String diffDigest, long diffSize) {}

    private final StorageLocation storage;
    private final List<Image> images;
    private final Map<String, Layer> layers;

    private StorageRecords(StorageLocation storage, List<Image> images, Map<String, Layer> layers) {
        this.storage = storage;
        this.images = images;
        this.layers = layers;
    }

    /** The image and layer lists as they are now. */
    public static StorageRecords read(StorageLocation storage) throws IOException {
        List<Image> images = new ArrayList<>();
        for (JsonNode image : JSON.readTree(storage.imagesFile().toFile())) {
            images.add(new Image(image.path("id").asText(), Optional.ofNullable(image.path("layer").asText(null)),
                    digestsOf(image)));
        }
        Map<String, Layer> layers = new HashMap<>();
        for (String list : List.of("layers.json", "volatile-layers.json")) {
            Path file = storage.layersDirectory().resolve(list);
            if (Files.isRegularFile(file)) {
                for (JsonNode layer : JSON.readTree(file.toFile())) {
                    String id = layer.path("id").asText();
                    layers.put(id, new Layer(id, layer.path("parent").asText(""), layer.path("diff-digest").asText(""),
                            layer.path("diff-size").asLong(-1)));
                }
            }
        }
        return new StorageRecords(storage, List.copyOf(images), Map.copyOf(layers));
    }

    public Optional<Image> image(String id) {
        String bare = id.replaceFirst("^sha256:", "");
        return images.stream().filter(image -> image.id().equals(bare)).findFirst();
    }

    /** The image pulled as manifest {@code digest} (or as a list that holds it). */
    public Optional<Image> imageWithDigest(String digest) {
        return images.stream().filter(image -> image.digests().contains(digest)).findFirst();
    }

    /** Layer {@code top} and those below it, top first; empty when the list is broken (a parent missing, a loop). */
    public Optional<List<Layer>> chain(String top) {
        List<Layer> chain = new ArrayList<>();
        String id = top;
        while (!id.isEmpty()) {
            Layer layer = layers.get(id);
            if (layer == null || chain.size() >= MAX_DEPTH) {
                return Optional.empty();
            }
            chain.add(layer);
            id = layer.parent();
        }
        return Optional.of(List.copyOf(chain));
    }

    /**
     * One of an image's stored data, by containers-storage's key: {@code manifest}, or the config
     * under its digest ({@code sha256:<id>}). Each is a file named as the key when that is only
     * lower-case letters, digits and dots, else {@code =} and the key in base64 (containers-storage's
     * rule).
     */
    public byte[] data(Image image, String key) throws IOException {
        String name = key.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) ? key
                : "=" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        return Files.readAllBytes(storage.imagesFile().resolveSibling(image.id()).resolve(name));
    }

    /** The tar-split of layer {@code id}: the record of its tar from which containers-storage rebuilds it. */
    public Path tarSplit(String id) {
        return storage.layersDirectory().resolve(id + ".tar-split.gz");
    }

    /** The directory that holds layer {@code id}'s files. */
    public Path layerDirectory(String id) {
        return storage.layerDirectory(id);
    }

    /** Every manifest digest containers-storage knows an image by. */
    private static Set<String> digestsOf(JsonNode image) {
        Set<String> digests = new HashSet<>();
        if (image.hasNonNull("digest")) {
            digests.add(image.get("digest").asText());
        }
        image.path("digests").forEach(digest -> digests.add(digest.asText()));
        image.path("big-data-names").forEach(name -> {
            if (name.asText().startsWith("manifest-")) {
                digests.add(name.asText().substring("manifest-".length()));
            }
        });
        return digests;
    }
}
