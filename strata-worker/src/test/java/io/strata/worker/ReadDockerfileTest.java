package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strata.core.StrataException;
import io.strata.dockerfile.Dockerfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check_out_source's reading of the Dockerfile: what the build would refuse fails as path:line with a fix. */
class ReadDockerfileTest {
    @TempDir
    Path source;

    private StrataException refused(String content) throws Exception {
        Files.writeString(source.resolve("Dockerfile"), content);
        return catchThrowableOfType(StrataException.class, () -> CheckOutSourceStep.readDockerfile(source, "Dockerfile"));
    }

    @Test
    void structuralProblemsFailWithFileLineAndFix() throws Exception {
        StrataException unknown = refused("FROM a\nAPT-GET install x\n");
        assertThat(unknown.reason()).isEqualTo("DOCKERFILE_INVALID");
        assertThat(unknown.getMessage()).isEqualTo("Dockerfile:2: unknown instruction: APT-GET");
        assertThat(unknown.hint()).startsWith("check the spelling").contains("strata dockerfile inspect");

        assertThat(refused("CMD [\"x\"]\nFROM a\n").getMessage())
                .isEqualTo("Dockerfile:1: no build stage in current context: CMD comes before the first FROM");
        assertThat(refused("LABEL a=b\n").getMessage())
                .isEqualTo("Dockerfile:1: no build stage in current context: LABEL comes before the first FROM");
        assertThat(refused("FROM a\nHEALTHCHECK\n").getMessage())
                .isEqualTo("Dockerfile:2: HEALTHCHECK requires at least one argument");
    }

    @Test
    void notUtf8AndFifoKeepTheirOwnReasons() throws Exception {
        Files.write(source.resolve("Dockerfile"), "FROM a\nLABEL x=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        StrataException latin1 = catchThrowableOfType(StrataException.class,
                () -> CheckOutSourceStep.readDockerfile(source, "Dockerfile"));
        assertThat(latin1.reason()).isEqualTo("DOCKERFILE_NOT_UTF8");
        assertThat(latin1.getMessage()).isEqualTo("Dockerfile:2: not UTF-8: byte 0xE9 at byte offset 18 is not valid UTF-8");

        Path fifo = source.resolve("Fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        StrataException pipe = catchThrowableOfType(StrataException.class,
                () -> CheckOutSourceStep.readDockerfile(source, "Fifo"));
        assertThat(pipe.reason()).isEqualTo("DOCKERFILE_NOT_REGULAR_FILE");
    }

    @Test
    void globalArgsExpandInEachOthersDefaultsWithBuildArgsOverriding() throws Exception {
        Files.writeString(source.resolve("Dockerfile"),
                "ARG REG=registry.example.com\nARG BASE=${REG}/base/busybox:latest\nFROM ${BASE}\nRUN true\n");
        Dockerfile d = CheckOutSourceStep.readDockerfile(source, "Dockerfile");

        assertThat(d.buildStages(Map.of()).get(0).image()).isEqualTo("registry.example.com/base/busybox:latest");
        assertThat(d.buildStages(Map.of("REG", "127.0.0.1:5005")).get(0).image())
                .isEqualTo("127.0.0.1:5005/base/busybox:latest");
    }
}
