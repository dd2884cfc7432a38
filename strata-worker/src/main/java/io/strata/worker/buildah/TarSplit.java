package io.strata.worker.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * A layer's tar rebuilt from containers-storage's tar-split and the layer's files, byte for byte the
 * tar the layer was made from (the one whose digest is its diff id): the tar-split keeps every
 * header and padding as raw bytes (type 2 lines, base64) and names each regular file's content
 * (type 1 lines, with its size), which is read from the layer's directory. This is how
 * containers-storage itself rebuilds a layer to push it.
 */
public final class TarSplit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TarSplit() {}

    /**
     * Writes the tar of the layer recorded in {@code tarSplit} whose files are in {@code layerDirectory}.
     *
     * @throws IOException when a record cannot be read, names a path outside the layer or not in
     *                     UTF-8, or a file is missing or not of the recorded size
     */
    public static void replay(Path tarSplit, Path layerDirectory, OutputStream tar) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(tarSplit), 64 * 1024), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                switch (entry.path("type").asInt()) {
                    case 2 -> tar.write(Base64.getDecoder().decode(entry.path("payload").asText("")));
                    case 1 -> copyContent(entry, layerDirectory, tar, buffer);
                    default -> throw new IOException("unknown record type in " + tarSplit + ": " + line);
                }
            }
        }
    }

    private static void copyContent(JsonNode entry, Path layerDirectory, OutputStream tar, byte[] buffer)
            throws IOException {
        long size = entry.path("size").asLong(0);
        if (size == 0) {
            return;
        }
        if (!entry.hasNonNull("name")) {
            throw new IOException("a file whose name is not UTF-8 (name_raw) in the tar-split");
        }
        String name = entry.get("name").asText();
        Path file = layerDirectory.resolve(name.replaceFirst("^(\\./|/)+", "")).normalize();
        if (!file.startsWith(layerDirectory) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the layer's file " + name + " is missing or not a regular file");
        }
        long copied = 0;
        try (InputStream content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            while (copied < size) {
                int read = content.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
                if (read < 0) {
                    break;
                }
                tar.write(buffer, 0, read);
                copied += read;
            }
            if (copied != size || content.read() >= 0) {
                throw new IOException("the layer's file " + name + " is not of the size its tar recorded (" + size + " bytes)");
            }
        }
    }
}
