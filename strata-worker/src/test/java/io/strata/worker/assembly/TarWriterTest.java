package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What TarWriter writes, read by GNU tar: names (long ones too), modes, numeric owners, link targets, contents. */
class TarWriterTest {
    @Test
    void gnuTarListsEveryEntryAsWritten(@TempDir Path dir) throws Exception {
        String longName = "d/" + "x".repeat(120) + "/" + "y".repeat(120) + ".txt";
        String unicodeLong = "u/" + "é".repeat(60) + ".txt";
        Path tar = dir.resolve("layer.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarWriter writer = new TarWriter(out, 0)) {
            writer.directory("d", 0755, 0, 0);
            writer.file("d/a.txt", 0640, 1000, 1001, 5, new ByteArrayInputStream("hello".getBytes()));
            writer.symlink("d/link", "a.txt", 0, 0);
            writer.file(longName, 0600, 3_000_000, 7, 1, new ByteArrayInputStream("z".getBytes()));
            writer.symlink("d/far", "t/".repeat(60), 0, 0);
            writer.file(unicodeLong, 0644, 0, 0, 0, new ByteArrayInputStream(new byte[0]));
        }
        Process list = new ProcessBuilder("tar", "--numeric-owner", "--full-time", "-tvf", tar.toString()).start();
        List<String> lines = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(list.waitFor()).isZero();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("drwxr-xr-x 0/0").endsWith("1970-01-01 00:00:00 d/");
        assertThat(lines.get(1)).startsWith("-rw-r----- 1000/1001").endsWith(" d/a.txt");
        assertThat(lines.get(2)).startsWith("lrwxrwxrwx 0/0").endsWith(" d/link -> a.txt");
        assertThat(lines.get(3)).startsWith("-rw------- 3000000/7").endsWith(" " + longName);
        assertThat(lines.get(4)).endsWith(" d/far -> " + "t/".repeat(60));
        assertThat(lines.get(5)).endsWith(" " + unicodeLong);

        Path out = Files.createDirectories(dir.resolve("out"));
        Process extract = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", out.toString()).start();
        assertThat(extract.waitFor()).isZero();
        assertThat(Files.readString(out.resolve("d/a.txt"))).isEqualTo("hello");
        assertThat(Files.readString(out.resolve(longName))).isEqualTo("z");
    }
}
