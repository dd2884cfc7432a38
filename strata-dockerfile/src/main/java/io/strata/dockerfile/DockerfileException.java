package io.strata.dockerfile;

/**
 * The Dockerfile text is something BuildKit would reject. Carries the 1-based line where the problem
 * starts (0 when it concerns the file as a whole), a stable reason code, a message saying what is wrong
 * (without the line, so front ends can prefix {@code file:line}) and a hint saying how to fix it.
 */
public final class DockerfileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** BuildKit's parser itself rejects the text (bad directive, JSON of non-strings, heredoc, ...). */
    public static final String SYNTAX = "DOCKERFILE_SYNTAX";
    /** An instruction BuildKit does not know; its parser keeps it, the build refuses it. */
    public static final String UNKNOWN_INSTRUCTION = "DOCKERFILE_UNKNOWN_INSTRUCTION";
    /** No FROM at all, or an instruction other than ARG before the first FROM. */
    public static final String NO_STAGE = "DOCKERFILE_NO_STAGE";
    /** An instruction with missing, surplus or malformed arguments (a bare FROM, {@code COPY a}, ...). */
    public static final String BAD_ARGUMENTS = "DOCKERFILE_BAD_ARGUMENTS";
    /** Unbalanced quotes or bad {@code ${...}} syntax in a word the build expands. */
    public static final String BAD_SUBSTITUTION = "DOCKERFILE_BAD_SUBSTITUTION";
    /** A {@code ${V:?message}} (or {@code ${V?message}}) whose variable is unset or empty. */
    public static final String UNSET_VARIABLE = "DOCKERFILE_UNSET_VARIABLE";
    /** The bytes are not UTF-8. */
    public static final String NOT_UTF8 = "DOCKERFILE_NOT_UTF8";
    /** The path names a directory, FIFO, device or socket instead of a regular file. */
    public static final String NOT_REGULAR_FILE = "DOCKERFILE_NOT_REGULAR_FILE";

    private final int line;
    private final String code;
    private final String hint;

    public DockerfileException(int line, String message, String hint) {
        this(line, SYNTAX, message, hint);
    }

    public DockerfileException(int line, String code, String message, String hint) {
        super(message);
        this.line = line;
        this.code = code;
        this.hint = hint == null ? "" : hint;
    }

    /** 1-based line where the offending instruction (or construct) starts; 0 for the whole file. */
    public int line() {
        return line;
    }

    /** Stable UPPER_SNAKE reason code, one of the constants of this class. */
    public String code() {
        return code;
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
