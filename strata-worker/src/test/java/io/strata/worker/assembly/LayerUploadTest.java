package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer as LayerUpload writes it, without a registry: more files than the read-ahead holds, small
 * ones (read ahead) and a large one (streamed) in between, come out as a gzipped tar that gzip and
 * tar accept, with every file's content in place; the digests it reports are those of the bytes,
 * and writing it twice gives the same bytes.
 */
class LayerUploadTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static SortedMap<String, LayerEntry> tree(Path source) throws IOException {
        SortedMap<String, LayerEntry> entries = new TreeMap<>();
        entries.put("data", new LayerEntry.Directory(0755, 0, 0));
        Random random = new Random(3);
        for (int i = 0; i < 600; i++) {
            byte[] content = i == 300 ? new byte[(int) ReadAhead.SMALL + 4097] : new byte[random.nextInt(5000)];
            if (i % 2 == 0) {
                random.nextBytes(content);
            } else {
                java.util.Arrays.fill(content, (byte) ('a' + i % 26));
            }
            Path file = Files.write(source.resolve("f" + i), content);
            entries.put(String.format("data/f%04d", i), new LayerEntry.RegularFile(file, 0644, 1000, 1000, content.length));
        }
        entries.put("data/link", new LayerEntry.Symlink("f0000", 0, 0));
        return entries;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Process run(Path dir, String... command) throws IOException {
        return new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void theLayerIsAGzippedTarWithEveryFileAndItsDigestsAreThoseOfTheBytes(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        SortedMap<String, LayerEntry> entries = tree(source);
        LayerUpload upload = new LayerUpload(POOL, 2, 6, 0);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        LayerUpload.Produced produced = upload.write(entries, first);
        byte[] layer = first.toByteArray();

        assertThat(produced.digest()).isEqualTo(sha256(layer));
        assertThat(produced.compressedBytes()).isEqualTo(layer.length);
        byte[] tar;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            tar = in.readAllBytes();
        }
        assertThat(produced.diffId()).isEqualTo(sha256(tar));
        assertThat(produced.uncompressedBytes()).isEqualTo(tar.length);

        Path gz = Files.write(dir.resolve("layer.tar.gz"), layer);
        Process list = run(dir, "tar", "-tzf", gz.toString());
        List<String> names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(list.waitFor()).isZero();
        assertThat(names).hasSize(entries.size()).startsWith("data/").contains("data/link", "data/f0599");
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThat(run(out, "tar", "-xzf", gz.toString()).waitFor()).isZero();
        for (var entry : entries.entrySet()) {
            if (entry.getValue() instanceof LayerEntry.RegularFile file) {
                assertThat(out.resolve(entry.getKey())).as(entry.getKey()).hasSameBinaryContentAs(file.source());
            }
        }

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertThat(upload.write(entries, second)).isEqualTo(produced);
        assertThat(second.toByteArray()).isEqualTo(layer);
    }

    @Test
    void aLayerOpenedAgainAfterAnAbandonedStartGivesTheSameBytesAndDigest(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        SortedMap<String, LayerEntry> entries = tree(source);
        LayerUpload upload = new LayerUpload(POOL, 2, 6, 0);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        LayerUpload.Produced once = upload.write(entries, whole);

        // What the upload does when the registry lost its session: read part, give up, open again.
        LayerUpload.Production production = upload.new Production(entries);
        assertThat(production.open().readNBytes(5000)).hasSize(5000);
        byte[] again = production.open().readAllBytes();
        String digest = production.digest();
        production.stop();

        assertThat(again).isEqualTo(whole.toByteArray());
        assertThat(digest).isEqualTo(once.digest()).isEqualTo(sha256(again));
        assertThat(production.facts()).isEqualTo(once);
    }

    @Test
    void aFileThatShrankIsNamedInTheFailure(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("shrinks"), new byte[100]);
        SortedMap<String, LayerEntry> entries = new TreeMap<>();
        entries.put("shrinks", new LayerEntry.RegularFile(file, 0644, 0, 0, 200));
        assertThatThrownBy(() -> new LayerUpload(POOL, 2, 6, 0).write(entries, new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasMessageContaining("shrinks became shorter");
    }
}
