package io.strata.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The files of the copy-heavy benchmarks (checkout, assembly): {@code files} files of varying size
 * (a quarter to twice the mean) making about {@code bytes} in all, half compressible text, half
 * random bytes, in 100 × 20 directories; the same every time (seed 42).
 */
final class CopyHeavyFiles {
    private CopyHeavyFiles() {}

    static void write(Path root, int files, long bytes) throws IOException {
        Random random = new Random(42);
        long mean = Math.max(1, bytes / files);
        byte[] buffer = new byte[(int) (mean * 2 + 1)];
        for (int i = 0; i < files; i++) {
            Path file = root.resolve("d" + (i % 100) + "/s" + (i / 100 % 20) + "/f" + i + (i % 2 == 0 ? ".txt" : ".bin"));
            Files.createDirectories(file.getParent());
            int size = (int) (mean / 4 + random.nextLong(mean * 7 / 4 + 1));
            if (i % 2 == 0) {
                byte[] line = ("line of file " + i + " with some text that compresses " + random.nextInt() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                for (int p = 0; p < size; p++) {
                    buffer[p] = line[p % line.length];
                }
            } else {
                random.nextBytes(buffer);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(buffer, 0, size);
            }
        }
    }
}
