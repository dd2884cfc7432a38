package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a Dockerfile from bytes or a path: strict UTF-8 with the offending offset, regular files only. */
class ReadingTest {
    @TempDir
    Path dir;

    @Test
    void notUtf8NamesTheByteOffsetAndLine() {
        byte[] bytes = "FROM a\nLABEL x=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

        DockerfileException e = catchThrowableOfType(DockerfileException.class, () -> Dockerfile.parse(bytes));

        assertThat(e.code()).isEqualTo("DOCKERFILE_NOT_UTF8");
        assertThat(e.getMessage()).isEqualTo("not UTF-8: byte 0xE9 at byte offset 18 is not valid UTF-8");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.hint()).contains("UTF-8");
    }

    @Test
    void utf8WithByteOrderMarkReadsBack() throws Exception {
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, "\uFEFFFROM a\nLABEL k=\uD83D\uDE80\n");

        Dockerfile d = Dockerfile.read(file);

        assertThat(d.labels()).containsEntry("k", "\uD83D\uDE80");
        assertThat(d.content()).isEqualTo(Files.readString(file));
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("Dockerfile");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        DockerfileException e = catchThrowableOfType(DockerfileException.class, () -> Dockerfile.read(fifo));

        assertThat(e.code()).isEqualTo("DOCKERFILE_NOT_REGULAR_FILE");
        assertThat(e.getMessage()).isEqualTo("not a regular file (a FIFO, device or socket)");
    }

    @Test
    void aDirectoryIsRefused() {
        DockerfileException e = catchThrowableOfType(DockerfileException.class, () -> Dockerfile.read(dir));

        assertThat(e.getMessage()).isEqualTo("not a regular file (a directory)");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThat(catchThrowableOfType(IOException.class, () -> Dockerfile.read(dir.resolve("nope"))))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
