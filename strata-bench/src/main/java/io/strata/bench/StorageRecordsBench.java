package io.strata.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.worker.buildah.StorageLocation;
import io.strata.worker.buildah.StorageRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading buildah's image and layer lists ({@link StorageRecords#read}), which a build does twice (its push's plan,
 * then gather_image_content), on a synthetic storage of {@code layers} layers and a fifth as many images, shaped as
 * containers-storage writes them, the layer list replaced before each invocation (a build made layers since).
 * {@code aBuildsTwoReads}: what a build does now; {@code aBuildsTwoReadsBefore}: the same two reads as they were
 * made before (a Jackson tree of both files, every time), for comparison in the same run. With the service's JIT
 * (C1 only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class StorageRecordsBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"500", "5000"})
    public int layers;

    private Path root;
    private StorageLocation storage;
    private Path layersFile;
    private Path layersCopy;

    @Setup(Level.Trial)
    public void makeStorage() throws IOException {
        root = Files.createTempDirectory("strata-storage-records-bench-");
        storage = new StorageLocation(root, "overlay");
        layersFile = storage.layersDirectory().resolve("layers.json");
        layersCopy = storage.layersDirectory().resolve("layers.json.copy");
        Files.createDirectories(storage.layersDirectory());
        Files.createDirectories(storage.imagesFile().getParent());
        StringBuilder list = new StringBuilder("[");
        String parent = "";
        for (int i = 0; i < layers; i++) {
            String id = hex("layer", i);
            list.append(i == 0 ? "" : ",").append("""
                    {"id":"%s","parent":"%s","created":"2026-12-04T22:39:13.566540128Z","compressed-diff-digest":"sha256:%s",\
                    "compressed-size":%d,"diff-digest":"sha256:%s","diff-size":%d,"compression":2,"uidset":[0],"gidset":[0]}\
                    """.formatted(id, i % 20 == 0 ? "" : parent, hex("compressed", i), 1000L + i, hex("diff", i), 5000L + i));
            parent = id;
        }
        Files.writeString(layersCopy, list.append(']'));
        Files.copy(layersCopy, layersFile);
        StringBuilder images = new StringBuilder("[");
        for (int i = 0; i < layers / 5; i++) {
            String manifest = hex("manifest", i);
            images.append(i == 0 ? "" : ",").append("""
                    {"id":"%s","digest":"sha256:%s","names":["localhost/app:%d"],"layer":"%s","metadata":"{}",\
                    "big-data-names":["manifest-sha256:%s","manifest","sha256:%s"],"big-data-sizes":{"manifest":503},\
                    "created":"2026-12-04T22:39:13Z","digests":["sha256:%s"]}\
                    """.formatted(hex("image", i), manifest, i, hex("layer", i * 5), manifest, hex("image", i), manifest));
        }
        Files.writeString(storage.imagesFile(), images.append(']'));
        System.out.printf("%n[StorageRecordsBench] %d layers: layers.json %.2f MB, images.json %.2f MB%n", layers,
                Files.size(layersFile) / 1e6, Files.size(storage.imagesFile()) / 1e6);
    }

    /** A build made layers: the list replaced as containers-storage replaces it (written aside, renamed). */
    @Setup(Level.Invocation)
    public void replaceTheLayerList() throws IOException {
        Path aside = layersFile.resolveSibling("layers.json.tmp");
        Files.copy(layersCopy, aside, StandardCopyOption.REPLACE_EXISTING);
        Files.move(aside, layersFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @TearDown(Level.Trial)
    public void removeStorage() throws IOException {
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public StorageRecords aBuildsTwoReads() throws IOException {
        StorageRecords.read(storage);
        return StorageRecords.read(storage);
    }

    @Benchmark
    public Map<String, String> aBuildsTwoReadsBefore() throws IOException {
        treeOfBothFiles();
        return treeOfBothFiles();
    }

    private Map<String, String> treeOfBothFiles() throws IOException {
        Map<String, String> read = new HashMap<>();
        for (JsonNode image : JSON.readTree(storage.imagesFile().toFile())) {
            read.put(image.path("id").asText(), image.path("layer").asText(""));
        }
        for (JsonNode layer : JSON.readTree(layersFile.toFile())) {
            read.put(layer.path("id").asText(), layer.path("parent").asText("") + layer.path("diff-digest").asText("")
                    + layer.path("diff-size").asLong(-1));
        }
        return read;
    }

    private static String hex(String kind, int i) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest((kind + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
