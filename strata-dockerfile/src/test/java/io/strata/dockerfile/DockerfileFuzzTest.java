package io.strata.dockerfile;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz targets. In the normal test run they replay their seed inputs (resources under
 * {@code DockerfileFuzzTestInputs/}); {@code JAZZER_FUZZ=1} makes them fuzz for {@code maxDuration}
 * (docs/dockerfile.md has the command and the figures of the long run).
 */
class DockerfileFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parseText(byte[] input) {
        ParserContract.holdsFor(new String(input, java.nio.charset.StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "10m")
    void parseBytes(byte[] input) {
        ParserContract.holdsFor(input);
    }
}
