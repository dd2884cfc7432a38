package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the local engine asks buildah's version twice; buildah runs once. With a memo, a later
 * process does not ask at all until the binary changes.
 */
class BuildahVersionTest {
    @TempDir
    Path dir;

    private Path calls;
    private Path program;
    private Path memo;

    @BeforeEach
    void fakeBuildah() throws Exception {
        calls = dir.resolve("calls");
        program = dir.resolve("fake-buildah");
        memo = dir.resolve("cache").resolve("buildah-version");
        writeProgram("1.28.2");
    }

    @Test
    void theVersionIsAskedOfBuildahOnce() throws Exception {
        Buildah buildah = new Buildah(program.toString(), BuildahOptions.systemDefault(), new ProcessRunner());

        assertThat(buildah.version()).isEqualTo("1.28.2");
        assertThat(buildah.version()).isEqualTo("1.28.2");

        assertThat(Files.readAllLines(calls)).hasSize(1).allMatch(line -> line.endsWith("version --json"));
    }

    @Test
    void aRememberedVersionIsNotAskedAgainByALaterInstance() throws Exception {
        assertThat(remembering().version()).isEqualTo("1.28.2");
        assertThat(remembering().version()).isEqualTo("1.28.2");

        assertThat(Files.readAllLines(calls)).hasSize(1);
        assertThat(Files.readString(memo)).contains(program.toRealPath().toString()).endsWith("\t1.28.2\n");
    }

    @Test
    void aChangedBinaryIsAskedAgain() throws Exception {
        assertThat(remembering().version()).isEqualTo("1.28.2");
        writeProgram("1.39.3");
        Files.setLastModifiedTime(program, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

        assertThat(remembering().version()).isEqualTo("1.39.3");
        assertThat(remembering().version()).isEqualTo("1.39.3");
        assertThat(Files.readAllLines(calls)).hasSize(2);
    }

    @Test
    void aDamagedMemoIsIgnoredAndWrittenAnew() throws Exception {
        Files.createDirectories(memo.getParent());
        Files.writeString(memo, "not a memo line");

        assertThat(remembering().version()).isEqualTo("1.28.2");
        assertThat(remembering().version()).isEqualTo("1.28.2");
        assertThat(Files.readAllLines(calls)).hasSize(1);
        assertThat(Files.readString(memo)).endsWith("\t1.28.2\n");
        try (var left = Files.list(memo.getParent())) {
            assertThat(left).containsExactly(memo);
        }
    }

    @Test
    void aMemoThatCannotBeWrittenOnlyCostsTheQuestion() throws Exception {
        Files.writeString(dir.resolve("cache"), "a file where the cache directory should be");

        assertThat(remembering().version()).isEqualTo("1.28.2");
        assertThat(remembering().version()).isEqualTo("1.28.2");
        assertThat(Files.readAllLines(calls)).hasSize(2);
    }

    private Buildah remembering() {
        return new Buildah(program.toString(), BuildahOptions.systemDefault(), new ProcessRunner()).withVersionMemo(memo);
    }

    private void writeProgram(String version) throws Exception {
        Files.writeString(program, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\necho '{\"version\": \"" + version
                + "\", \"goVersion\": \"go1.19\"}'\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
    }
}
