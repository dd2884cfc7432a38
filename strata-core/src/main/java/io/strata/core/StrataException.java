package io.strata.core;

import java.util.Objects;

/**
 * A failure a caller can act on: a stable reason code (kept in build records and shown on the
 * CLI), a message saying what went wrong and where, and a hint saying how to fix it.
 * Front ends (CLI, REST) print {@link #getMessage()} and {@link #hint()}; they never print a stack
 * trace for one of these.
 */
public class StrataException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String hint;

    public StrataException(String reason, String message, String hint) {
        this(reason, message, hint, null);
    }

    public StrataException(String reason, String message, String hint, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.hint = hint == null ? "" : hint;
    }

    /** Stable, upper-case reason code such as {@code GIT_REF_NOT_FOUND}. */
    public String reason() {
        return reason;
    }

    /** How to fix it; empty when there is nothing useful to say. */
    public String hint() {
        return hint;
    }
}
