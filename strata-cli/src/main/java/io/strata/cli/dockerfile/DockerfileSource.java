package io.strata.cli.dockerfile;

import io.strata.core.StrataException;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and parses a Dockerfile named on the command line; failures name the file (and line). */
final class DockerfileSource {
    static final String UNREADABLE = "DOCKERFILE_UNREADABLE";
    static final String INVALID = "DOCKERFILE_INVALID";

    private DockerfileSource() {}

    static Dockerfile read(Path file) throws StrataException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StrataException(UNREADABLE, file + ": no such file", "check the path to the Dockerfile");
        } catch (CharacterCodingException e) {
            throw new StrataException(UNREADABLE, file + ": not UTF-8 text", "save the Dockerfile as UTF-8");
        } catch (IOException e) {
            throw new StrataException(UNREADABLE, file + ": cannot read: " + e.getMessage(),
                    "check that the file exists and is readable", e);
        }
        try {
            return Dockerfile.parse(text);
        } catch (DockerfileException e) {
            throw invalid(file, e);
        }
    }

    /** {@code file:line: message}, the way compilers report, with the parser's hint. */
    static StrataException invalid(Path file, DockerfileException e) {
        return new StrataException(INVALID, file + ":" + e.line() + ": " + e.getMessage(), e.hint(), e);
    }
}
