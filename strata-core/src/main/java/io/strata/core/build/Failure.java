package io.strata.core.build;

import java.util.Objects;

/**
 * Why a build did not complete: a stable reason code, a message for people saying what happened
 * and where, and a hint saying what to do about it (empty when there is nothing to suggest). The
 * hint is kept with the failure so that every front end (CLI, REST, UI) can show it later.
 */
public record Failure(String reason, String message, String hint) {
    public Failure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        hint = Objects.requireNonNullElse(hint, "");
    }

    /** A failure with nothing to suggest. */
    public Failure(String reason, String message) {
        this(reason, message, "");
    }

    public boolean hasHint() {
        return !hint.isBlank();
    }
}
