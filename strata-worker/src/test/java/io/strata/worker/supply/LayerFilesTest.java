package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class LayerFilesTest {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @Test
    void laterLayersReplaceAndWhiteoutsRemoveFiles() throws IOException {
        byte[] lower = tar(true, "srv/", null, "srv/a.txt", "hello\n", "srv/gone/x", "x", "etc/keep", "");
        byte[] upper = tar(false, "srv/.wh.gone", "", "srv/a.txt", "", "./srv/new", "hello\n");

        var files = new LayerFiles().add(new ByteArrayInputStream(lower)).add(new ByteArrayInputStream(upper)).files();

        assertThat(files).containsExactly(
                new AddedFile("/etc/keep", EMPTY_SHA256, 0),
                new AddedFile("/srv/a.txt", EMPTY_SHA256, 0),
                new AddedFile("/srv/new", HELLO_SHA256, 6));
    }

    /** A layer: pairs of name and content; a null content is a directory. */
    private static byte[] tar(boolean gzip, String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                TarArchiveEntry entry = new TarArchiveEntry(entries[i]);
                byte[] content = entries[i + 1] == null ? new byte[0] : entries[i + 1].getBytes(StandardCharsets.UTF_8);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
