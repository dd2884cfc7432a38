package io.strata.dockerfile;

/**
 * The Dockerfile text is something BuildKit would reject. Carries the 1-based line where the problem
 * starts, a message saying what is wrong (without the line, so front ends can prefix {@code file:line})
 * and a hint saying how to fix it.
 */
public final class DockerfileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String hint;

    public DockerfileException(int line, String message, String hint) {
        super(message);
        this.line = line;
        this.hint = hint == null ? "" : hint;
    }

    /** 1-based line where the offending instruction (or construct) starts. */
    public int line() {
        return line;
    }

    /** How to fix it; empty when there is nothing useful to say. */
    public String hint() {
        return hint;
    }

    @Override
    public String toString() {
        return "line " + line + ": " + getMessage();
    }
}
