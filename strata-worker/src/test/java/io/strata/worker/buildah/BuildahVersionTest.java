package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the local engine asks buildah's version twice; buildah runs once. */
class BuildahVersionTest {
    @TempDir
    Path dir;

    @Test
    void theVersionIsAskedOfBuildahOnce() throws Exception {
        Path calls = dir.resolve("calls");
        Path program = dir.resolve("fake-buildah");
        Files.writeString(program, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\necho '{\"version\": \"1.28.2\", \"goVersion\": \"go1.19\"}'\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        Buildah buildah = new Buildah(program.toString(), BuildahOptions.systemDefault(), new ProcessRunner());

        assertThat(buildah.version()).isEqualTo("1.28.2");
        assertThat(buildah.version()).isEqualTo("1.28.2");

        assertThat(Files.readAllLines(calls)).hasSize(1).allMatch(line -> line.endsWith("version --json"));
    }
}
