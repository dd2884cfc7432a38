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

class ParallelGzipOutputStreamTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Text and random bytes over many blocks, written in odd-sized pieces. */
    private static byte[] input(int size) {
        byte[] data = new byte[size];
        Random random = new Random(11);
        for (int i = 0; i < size; i++) {
            data[i] = i / 50_000 % 2 == 0 ? (byte) ("the quick brown fox ".charAt(i % 20)) : (byte) random.nextInt();
        }
        return data;
    }

    private static byte[] compress(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out, POOL, 3, 6)) {
            for (int offset = 0; offset < data.length; ) {
                int length = Math.min(data.length - offset, 1 + offset % 70_001);
                gzip.write(data, offset, length);
                offset += length;
            }
        }
        return out.toByteArray();
    }

    @Test
    void manyBlocksMakeOneGzipStreamThatJavaReadsBack() throws Exception {
        byte[] data = input(ParallelGzipOutputStream.BLOCK_SIZE * 9 + 12_345);
        byte[] compressed = compress(data);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(compressed.length).isLessThan(data.length * 3 / 4);
    }

    @Test
    void gzipItselfAcceptsTheStream(@TempDir Path dir) throws Exception {
        byte[] data = input(ParallelGzipOutputStream.BLOCK_SIZE * 3 + 7);
        Path file = Files.write(dir.resolve("layer.gz"), compress(data));
        Process test = new ProcessBuilder("gzip", "-t", file.toString()).redirectErrorStream(true).start();
        String output = new String(test.getInputStream().readAllBytes());
        assertThat(test.waitFor()).as(output).isZero();
    }

    @Test
    void theSameInputGivesTheSameBytes() throws Exception {
        byte[] data = input(ParallelGzipOutputStream.BLOCK_SIZE * 4);
        assertThat(compress(data)).isEqualTo(compress(data));
    }

    @Test
    void emptyInputIsAValidEmptyGzip() throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compress(new byte[0])))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }
}
