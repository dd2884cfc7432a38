package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parallel gzip makes one standard gzip member: Java's GZIPInputStream (which checks the CRC and
 * length in the trailer) and gzip itself read back exactly the input, for every size around block
 * and window boundaries, random and compressible; the same input always gives the same bytes.
 */
class ParallelGzipOutputStreamTest {
    private static final int SMALL_BLOCK = 32 * 1024;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Text and random bytes in alternating stretches. */
    private static byte[] mixed(int size) {
        byte[] data = new byte[size];
        Random random = new Random(11);
        for (int i = 0; i < size; i++) {
            data[i] = i / 50_000 % 2 == 0 ? (byte) ("the quick brown fox ".charAt(i % 20)) : (byte) random.nextInt();
        }
        return data;
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    /** Compressible, but not one repeated string: words drawn at random. */
    private static byte[] text(int size) {
        String[] words = {"layer ", "image ", "strata ", "buildah ", "registry ", "digest ", "\n", "manifest "};
        Random random = new Random(size + 1L);
        byte[] data = new byte[size];
        int filled = 0;
        while (filled < size) {
            byte[] word = words[random.nextInt(words.length)].getBytes();
            int take = Math.min(word.length, size - filled);
            System.arraycopy(word, 0, data, filled, take);
            filled += take;
        }
        return data;
    }

    /** Written in odd-sized pieces, single bytes among them, so pieces straddle block boundaries. */
    private static byte[] compress(byte[] data, int blockSize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, POOL, 3, 6, blockSize)) {
            for (int offset = 0; offset < data.length; ) {
                if (offset % 7 == 3) {
                    gzip.write(data[offset++]);
                    continue;
                }
                int length = Math.min(data.length - offset, 1 + offset % 70_001);
                gzip.write(data, offset, length);
                offset += length;
            }
            gzip.finish();
            assertThat(gzip.inputBytes()).isEqualTo(data.length);
            assertThat(gzip.outputBytes()).isEqualTo(out.size());
        }
        return out.toByteArray();
    }

    private static byte[] javaGunzip(byte[] compressed) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzipDc(Path dir, byte[] compressed) throws Exception {
        Path file = Files.write(Files.createTempFile(dir, "layer", ".gz"), compressed);
        Process gunzip = new ProcessBuilder("gzip", "-dc", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = gunzip.getInputStream().readAllBytes();
        assertThat(gunzip.waitFor()).as("gzip -dc exit status").isZero();
        return output;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SMALL_BLOCK - 1, SMALL_BLOCK, SMALL_BLOCK + 1, 2 * SMALL_BLOCK - 1, 2 * SMALL_BLOCK,
        2 * SMALL_BLOCK + 1, 7 * SMALL_BLOCK + 12_345})
    void sizesAroundBlockBoundariesRoundTripThroughJavaAndGzip(int size, @TempDir Path dir) throws Exception {
        for (byte[] data : new byte[][] {random(size), text(size), mixed(size)}) {
            byte[] compressed = compress(data, SMALL_BLOCK);
            assertThat(javaGunzip(compressed)).isEqualTo(data);
            assertThat(gzipDc(dir, compressed)).isEqualTo(data);
        }
    }

    @Test
    void defaultBlocksRoundTripAndCompressTextAsGzipDoes(@TempDir Path dir) throws Exception {
        byte[] data = text(ParallelGzipOutputStream.BLOCK_SIZE * 9 + 12_345);
        byte[] compressed = compress(data, ParallelGzipOutputStream.BLOCK_SIZE);
        assertThat(javaGunzip(compressed)).isEqualTo(data);
        assertThat(gzipDc(dir, compressed)).isEqualTo(data);
        Path plain = Files.write(dir.resolve("plain"), data);
        Process gzip = new ProcessBuilder("gzip", "-6", "-c", plain.toString()).start();
        int gzipSize = gzip.getInputStream().readAllBytes().length;
        assertThat(gzip.waitFor()).isZero();
        // Blocks primed with the 32 KiB before them lose little against one gzip stream.
        assertThat(compressed.length).isLessThan(gzipSize * 105 / 100);
    }

    @Test
    void randomDataGrowsOnlyByBlockFraming() throws Exception {
        byte[] data = random(ParallelGzipOutputStream.BLOCK_SIZE * 4 + 99);
        assertThat(compress(data, ParallelGzipOutputStream.BLOCK_SIZE).length).isLessThan(data.length + data.length / 100);
    }

    @Test
    void theSameInputGivesTheSameBytesWhateverThePieces() throws Exception {
        byte[] data = mixed(ParallelGzipOutputStream.BLOCK_SIZE * 4 + 5);
        byte[] first = compress(data, ParallelGzipOutputStream.BLOCK_SIZE);
        assertThat(compress(data, ParallelGzipOutputStream.BLOCK_SIZE)).isEqualTo(first);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(whole, POOL, 2, 6)) {
            gzip.write(data);
        }
        assertThat(whole.toByteArray()).isEqualTo(first);
    }

    /** {@code data} with its random stretches marked incompressible, as the tar writer marks them, in odd pieces. */
    private static byte[] compressMarked(byte[] data, int blockSize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, POOL, 3, 6, blockSize)) {
            int at = 0;
            while (at < data.length) {
                int piece = Math.min(data.length - at, 7_777);
                if (Incompressible.looksRandom(data, at, piece)) {
                    gzip.writeIncompressible(data, at, piece);
                } else {
                    gzip.write(data, at, piece);
                }
                at += piece;
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4096, SMALL_BLOCK + 1, 7 * SMALL_BLOCK + 12_345, 40 * SMALL_BLOCK + 3})
    void storedRunsRoundTripAcrossBlocksAndGiveTheSameBytesEveryTime(int size, @TempDir Path dir) throws Exception {
        for (int blockSize : new int[] {SMALL_BLOCK, ParallelGzipOutputStream.BLOCK_SIZE}) {
            byte[] data = mixed(size);
            byte[] compressed = compressMarked(data, blockSize);
            assertThat(javaGunzip(compressed)).isEqualTo(data);
            assertThat(gzipDc(dir, compressed)).isEqualTo(data);
            assertThat(compressMarked(data, blockSize)).isEqualTo(compressed);
            // the text stretches still compress: stored runs did not turn the rest off
            assertThat(compressed.length).isLessThan(data.length * 6 / 10 + 1024);
        }
    }

    @Test
    void aRunMarkedIncompressibleIsStoredAndTheRestDeflated(@TempDir Path dir) throws Exception {
        byte[] data = text(ParallelGzipOutputStream.BLOCK_SIZE * 3);
        int runStart = 100_000;
        int runLength = 150_000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, POOL, 2, 6)) {
            gzip.write(data, 0, runStart);
            gzip.writeIncompressible(data, runStart, runLength);
            gzip.write(data, runStart + runLength, data.length - runStart - runLength);
        }
        byte[] marked = out.toByteArray();
        byte[] plain = compress(data, ParallelGzipOutputStream.BLOCK_SIZE);

        assertThat(gzipDc(dir, marked)).isEqualTo(data);
        // text deflates to well under a third; the marked run went out as it is (level 0), the rest deflated
        assertThat(plain.length).isLessThan(data.length / 3);
        assertThat(marked.length).isBetween(runLength + plain.length / 2, runLength + plain.length);
    }

    @Test
    void onlyLongRunsOfNearlyMaximalEntropyLookRandom() {
        assertThat(Incompressible.looksRandom(random(8192), 0, 8192)).isTrue();
        assertThat(Incompressible.looksRandom(random(8192), 0, Incompressible.MIN_RUN - 1)).isFalse();
        assertThat(Incompressible.looksRandom(text(8192), 0, 8192)).isFalse();
        byte[] half = random(8192);
        System.arraycopy(text(2048), 0, half, 0, 2048); // a sample half text
        assertThat(Incompressible.looksRandom(half, 0, 8192)).isFalse();
    }

    @Test
    void emptyInputIsAValidEmptyGzip(@TempDir Path dir) throws Exception {
        byte[] compressed = compress(new byte[0], ParallelGzipOutputStream.BLOCK_SIZE);
        assertThat(javaGunzip(compressed)).isEmpty();
        assertThat(gzipDc(dir, compressed)).isEmpty();
    }
}
