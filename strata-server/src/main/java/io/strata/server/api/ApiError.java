package io.strata.server.api;

import java.util.Objects;

/**
 * The body of every error answer of the build service: the stable reason code (docs/reasons.md),
 * what went wrong and where, and how to fix it. Never a stack trace.
 */
public record ApiError(String reason, String message, String hint) {
    public ApiError {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        hint = Objects.requireNonNullElse(hint, "");
    }
}
