package io.strata.worker.buildah;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * containers-storage's records of the images and layers buildah keeps, read as files: the image
 * list, the layer list, an image's stored data (its config, its manifest) and a layer's tar-split.
 * Read without containers-storage's locks: it replaces its JSON files whole (written aside,
 * renamed), and an image's layers and data never change once it is committed. One snapshot per
 * instance: read it after the image in question was made. Immutable, so one read is shared while its files are
 * unchanged ({@link #read}).
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

    /**
     * The image and layer lists as they are now. Parsed again only when one of their files changed since the last
     * read of {@code storage} in this process: a build reads them twice (its push's plan, then gather_image_content),
     * and a storage of a few thousand layers has a {@code layers.json} of megabytes (5,000 layers, 2.3 MB: a build's
     * two reads took 48 ms as trees of the whole files, 11 ms now, bench/storage-records.sh). containers-storage replaces these files whole (written aside,
     * renamed), so a changed file has another inode, size or time; each is looked at before it is parsed, so a file
     * replaced meanwhile is parsed again next time.
     */
    public static StorageRecords read(StorageLocation storage) throws IOException {
        List<Path> files = List.of(storage.imagesFile(), storage.layersDirectory().resolve("layers.json"),
                storage.layersDirectory().resolve("volatile-layers.json"));
        List<Optional<FileStamp>> stamps = new ArrayList<>();
        for (Path file : files) {
            stamps.add(FileStamp.of(file));
        }
        Snapshot last = LAST_READ.get(storage);
        if (last != null && last.stamps().equals(stamps)) {
            return last.records();
        }
        List<Image> images = readImages(files.get(0));
        Map<String, Layer> layers = new HashMap<>();
        for (Path file : files.subList(1, files.size())) {
            if (Files.isRegularFile(file)) {
                readLayers(file, layers);
            }
        }
        StorageRecords records = new StorageRecords(storage, List.copyOf(images), Map.copyOf(layers));
        LAST_READ.put(storage, new Snapshot(List.copyOf(stamps), records));
        return records;
    }

    /** What tells one version of a file from another: its inode (file key), size and modification time. */
    private record FileStamp(Object fileKey, long size, FileTime modified) {
        static Optional<FileStamp> of(Path file) throws IOException {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return Optional.of(new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime()));
            } catch (NoSuchFileException absent) {
                return Optional.empty();
            }
        }
    }

    /** The records last read of a storage, and the stamps its files had just before. */
    private record Snapshot(List<Optional<FileStamp>> stamps, StorageRecords records) {}

    /** One per storage (a process uses one or two): the last read, held until a file of it changes. */
    private static final ConcurrentMap<StorageLocation, Snapshot> LAST_READ = new ConcurrentHashMap<>();

    /**
     * {@code images.json}, read as a stream of tokens: only an image's id, top layer and digests are kept, the rest
     * (names, metadata, big-data sizes) skipped unparsed. Two to three times faster than a tree of the whole file.
     */
    private static List<Image> readImages(Path file) throws IOException {
        List<Image> images = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(file.toFile())) {
            expect(parser.nextToken(), JsonToken.START_ARRAY, file);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                String id = "";
                String layer = null;
                Set<String> digests = new HashSet<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (field) {
                        case "id" -> id = textOr(parser, value, "");
                        case "layer" -> layer = textOr(parser, value, null);
                        case "digest" -> {
                            if (value != JsonToken.VALUE_NULL) {
                                digests.add(parser.getText());
                            }
                        }
                        case "digests" -> strings(parser, value).forEach(digests::add);
                        case "big-data-names" -> strings(parser, value).stream().filter(name -> name.startsWith("manifest-"))
                                .forEach(name -> digests.add(name.substring("manifest-".length())));
                        default -> parser.skipChildren();
                    }
                }
                images.add(new Image(id, Optional.ofNullable(layer), digests));
            }
        }
        return images;
    }

    /** A {@code layers.json}'s layers into {@code layers}, read as {@link #readImages} reads images. */
    private static void readLayers(Path file, Map<String, Layer> layers) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(file.toFile())) {
            expect(parser.nextToken(), JsonToken.START_ARRAY, file);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                String id = "";
                String parent = "";
                String diffDigest = "";
                long diffSize = -1;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (field) {
                        case "id" -> id = textOr(parser, value, "");
                        case "parent" -> parent = textOr(parser, value, "");
                        case "diff-digest" -> diffDigest = textOr(parser, value, "");
                        case "diff-size" -> diffSize = value.isNumeric() ? parser.getLongValue() : -1;
                        default -> parser.skipChildren();
                    }
                }
                layers.put(id, new Layer(id, parent, diffDigest, diffSize));
            }
        }
    }

    private static void expect(JsonToken token, JsonToken expected, Path file) throws IOException {
        if (token != expected) {
            throw new IOException(file + " is not a JSON list (it starts with " + token + ")");
        }
    }

    /** The value's text; {@code absent} for JSON null. */
    private static String textOr(JsonParser parser, JsonToken value, String absent) throws IOException {
        return value == JsonToken.VALUE_NULL ? absent : parser.getText();
    }

    /** The strings of a JSON list; none for null; other values in it skipped. */
    private static List<String> strings(JsonParser parser, JsonToken value) throws IOException {
        List<String> strings = new ArrayList<>();
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return strings;
        }
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (item == JsonToken.VALUE_STRING) {
                strings.add(parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return strings;
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
}
