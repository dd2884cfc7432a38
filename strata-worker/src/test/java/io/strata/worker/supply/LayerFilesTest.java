package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A symbolic link, a device and a FIFO carry no content: they are not files (they were listed with
     * the empty content's digest). A hard link is a file with its target's content.
     */
    @Test
    void linksAndDevicesAreNotEmptyFilesAndAHardLinkHasItsTargetsContent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            regular(tar, "srv/a.txt", "hello\n");
            special(tar, "srv/link", TarArchiveEntry.LF_SYMLINK, "a.txt");
            special(tar, "srv/hard", TarArchiveEntry.LF_LINK, "srv/a.txt");
            special(tar, "dev/null", TarArchiveEntry.LF_CHR, null);
            special(tar, "run/fifo", TarArchiveEntry.LF_FIFO, null);
        }

        var files = new LayerFiles().add(new ByteArrayInputStream(bytes.toByteArray())).files();

        assertThat(files).containsExactly(
                new AddedFile("/srv/a.txt", HELLO_SHA256, 6),
                new AddedFile("/srv/hard", HELLO_SHA256, 6));
    }

    /** A layer as buildah stores it (names from its tar-split, files in its directory) lists what its blob lists. */
    @Test
    void aStoredLayerListsWhatItsBlobLists(@TempDir Path dir) throws IOException {
        Path lower = Files.createDirectories(dir.resolve("lower"));
        Files.createDirectories(lower.resolve("srv/gone"));
        Files.writeString(lower.resolve("srv/a.txt"), "hello\n");
        Files.writeString(lower.resolve("srv/gone/x"), "x");
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("srv"));
        Files.writeString(upper.resolve("srv/new"), "hello\n");
        Files.createLink(upper.resolve("srv/hard"), upper.resolve("srv/new"));
        Files.createSymbolicLink(upper.resolve("srv/link"), Path.of("new"));
        Files.writeString(upper.resolve("srv/a.txt"), "");

        var stored = new LayerFiles()
                .addStored(List.of("srv/", "srv/a.txt", "srv/gone/", "srv/gone/x"), lower)
                .addStored(List.of("srv/", "srv/.wh.gone", "srv/a.txt", "./srv/new", "srv/hard", "srv/link"), upper)
                .files();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            special(tar, "srv/.wh.gone", TarArchiveEntry.LF_NORMAL, null);
            regular(tar, "srv/a.txt", "");
            regular(tar, "./srv/new", "hello\n");
            special(tar, "srv/hard", TarArchiveEntry.LF_LINK, "srv/new");
            special(tar, "srv/link", TarArchiveEntry.LF_SYMLINK, "new");
        }
        var fromBlobs = new LayerFiles()
                .add(new ByteArrayInputStream(tar(false, "srv/", null, "srv/a.txt", "hello\n", "srv/gone/x", "x")))
                .add(new ByteArrayInputStream(bytes.toByteArray())).files();

        assertThat(stored).isEqualTo(fromBlobs).containsExactly(
                new AddedFile("/srv/a.txt", EMPTY_SHA256, 0),
                new AddedFile("/srv/hard", HELLO_SHA256, 6),
                new AddedFile("/srv/new", HELLO_SHA256, 6));
    }

    private static void regular(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void special(TarArchiveOutputStream tar, String name, byte flag, String linkName) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, flag);
        if (linkName != null) {
            entry.setLinkName(linkName);
        }
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
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
