package io.strata.cli.dockerfile;

import io.strata.core.StrataException;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and parses a Dockerfile named on the command line; failures name the file (and line). */
final class DockerfileSource {
    static final String UNREADABLE = "DOCKERFILE_UNREADABLE";
    static final String INVALID = "DOCKERFILE_INVALID";

    private DockerfileSource() {}

    static Dockerfile read(Path file) throws StrataException {
        try {
            return Dockerfile.read(file);
        } catch (NoSuchFileException e) {
            throw new StrataException(UNREADABLE, file + ": no such file", "check the path to the Dockerfile");
        } catch (IOException e) {
            throw new StrataException(UNREADABLE, file + ": cannot read: " + e.getMessage(),
                    "check that the file exists and is readable", e);
        } catch (DockerfileException e) {
            throw invalid(file, e);
        }
    }

    /**
     * {@code file:line: message}, the way compilers report, with the parser's hint. Reading failures keep
     * their own reason ({@code DOCKERFILE_NOT_UTF8}, {@code DOCKERFILE_NOT_REGULAR_FILE}); whatever the
     * parser or the build refuses is {@code DOCKERFILE_INVALID}.
     */
    static StrataException invalid(Path file, DockerfileException e) {
        String reason = switch (e.code()) {
            case DockerfileException.NOT_UTF8, DockerfileException.NOT_REGULAR_FILE -> e.code();
            default -> INVALID;
        };
        String where = e.line() > 0 ? file + ":" + e.line() : file.toString();
        return new StrataException(reason, where + ": " + e.getMessage(), e.hint(), e);
    }
}
