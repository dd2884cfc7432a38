package io.strata.worker.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.worker.buildah.StorageLocation;
import io.strata.worker.buildah.StorageRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The build's own layers of an image buildah just built, read from its local storage: the names of
 * their entries and the files they add. That is what attach_sbom and gather_image_content otherwise
 * read back from the registry after the push (a blob download and a decompression, on the critical
 * path of every build with an SBOM); here it is a few local files. The image's layers are its top
 * layer and its parents' in containers-storage's layer list; the build's own are those above the
 * top layer of the nearest of its parents (pulled by digest, found by that digest in the image
 * list), all of them for FROM scratch. Each layer's entry names come from its tar-split (the record
 * containers-storage keeps of each layer's tar, from which it rebuilds the very blob it pushes), the
 * files' content from the layer's directory.
 *
 * <p>Read without containers-storage's locks: it replaces its JSON files whole (written aside,
 * renamed), and an image's layers never change. Any doubt (a parent not found, a file missing or
 * unreadable, a name that is not plain UTF-8 or leaves the layer) gives nothing, and the caller reads
 * the registry as before.
 */
public final class StoredLayers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the build's own layers hold: every entry's path (for the package databases) and the files they add. */
    public record Read(List<String> paths, List<AddedFile> files) {
        public Read {
            paths = List.copyOf(paths);
            files = List.copyOf(files);
        }
    }

    private final StorageLocation storage;

    public StoredLayers(StorageLocation storage) {
        this.storage = storage;
    }

    /**
     * The build's own layers of image {@code imageId} (with or without {@code sha256:}), built on
     * {@code parents} (digest-pinned references; none for FROM scratch). Empty on any doubt.
     */
    public Optional<Read> read(String imageId, Collection<String> parents) {
        try {
            return Optional.ofNullable(readOrNull(imageId.replaceFirst("^sha256:", ""), parents));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Read readOrNull(String imageId, Collection<String> parents) throws IOException {
        StorageRecords records = StorageRecords.read(storage);
        Optional<String> top = records.image(imageId).flatMap(StorageRecords.Image::topLayer);
        Set<String> parentTops = new HashSet<>();
        for (String parent : parents) {
            int at = parent.lastIndexOf('@');
            Optional<StorageRecords.Image> pulled = at < 0 ? Optional.empty() : records.imageWithDigest(parent.substring(at + 1));
            if (pulled.isEmpty()) {
                return null;
            }
            pulled.get().topLayer().ifPresent(parentTops::add);
        }
        if (top.isEmpty()) {
            return null;
        }
        List<String> own = ownLayers(records, top.get(), parentTops, parents.isEmpty());
        if (own == null) {
            return null;
        }
        List<String> paths = new ArrayList<>();
        LayerFiles files = new LayerFiles();
        for (String layer : own.reversed()) {
            List<String> names = entryNames(records.tarSplit(layer));
            if (names == null) {
                return null;
            }
            for (String name : names) {
                String path = LayerFiles.imagePath(name);
                if (path.contains("/../") || path.endsWith("/..")) {
                    return null;
                }
                paths.add(path.substring(1));
            }
            files.addStored(names, records.layerDirectory(layer));
        }
        return new Read(paths, files.files());
    }

    /**
     * The layers from {@code top} down to, not including, the first that is a parent's top; all of
     * them when {@code scratch}; null when a parent's top is never reached or the list is broken.
     */
    private static List<String> ownLayers(StorageRecords records, String top, Set<String> parentTops, boolean scratch) {
        Optional<List<StorageRecords.Layer>> chain = records.chain(top);
        if (chain.isEmpty()) {
            return null;
        }
        List<String> own = new ArrayList<>();
        for (StorageRecords.Layer layer : chain.get()) {
            if (parentTops.contains(layer.id())) {
                return own;
            }
            own.add(layer.id());
        }
        return scratch ? own : null;
    }

    /** The names of a layer's tar entries, in order, from its tar-split; null when one is not plain UTF-8. */
    private static List<String> entryNames(Path tarSplit) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(tarSplit)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                // Type 1 is an entry (its header is a type 2 segment before it); type 2 is raw tar bytes, in
                // base64, which has no quote: only an entry's line holds "type":1.
                if (!line.contains("\"type\":1,") && !line.contains("\"type\":1}")) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                if (entry.path("type").asInt() != 1) {
                    continue;
                }
                if (!entry.hasNonNull("name")) {
                    return null; // name_raw: not UTF-8, which Strata's paths cannot name exactly
                }
                names.add(entry.get("name").asText());
            }
        }
        return names;
    }
}
