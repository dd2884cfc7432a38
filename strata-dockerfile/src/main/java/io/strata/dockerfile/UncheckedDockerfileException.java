package io.strata.dockerfile;

/**
 * Wraps a {@link DockerfileException} where the API cannot declare it: a {@code ${V:?message}} that
 * fails while a getter expands values, or an edit whose result BuildKit would reject.
 */
public final class UncheckedDockerfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UncheckedDockerfileException(DockerfileException cause) {
        super(cause.toString(), cause);
    }

    @Override
    public synchronized DockerfileException getCause() {
        return (DockerfileException) super.getCause();
    }
}
