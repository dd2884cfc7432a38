package io.strata.dockerfile;

/**
 * Something BuildKit's parser accepts but its build refuses: an unknown instruction, an instruction
 * before the first FROM, no FROM, missing arguments, bad quoting. {@code Dockerfile.parse} keeps such a
 * file (so its labels, envs and structure can still be read) and lists these; a build refuses it with
 * {@link Dockerfile#requireBuildable()}.
 *
 * @param line    1-based line where the instruction starts
 * @param code    stable reason code, a constant of {@link DockerfileException}
 * @param message what is wrong, without the line
 * @param hint    how to fix it
 */
public record Problem(int line, String code, String message, String hint) {

    DockerfileException toException() {
        return new DockerfileException(line, code, message, hint);
    }

    /** The problem an exception reports (an expansion that fails, for instance). */
    public static Problem of(DockerfileException e) {
        return new Problem(e.line(), e.code(), e.getMessage(), e.hint());
    }
}
