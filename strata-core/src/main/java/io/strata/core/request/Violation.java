package io.strata.core.request;

import java.util.Objects;

/**
 * One thing wrong with a build request: a stable reason code, the request field it concerns
 * (osbs-client's spelling, e.g. {@code git_uri}), a message saying what is wrong and a fix saying
 * what to do. Both speak of request fields, never of a front end's flags: an API caller has no
 * {@code --git-uri}; a front end may name its own flag for {@link #field()} when it prints the fix.
 */
public record Violation(ReasonCode code, String field, String message, String fix) {
    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** {@code field: message}, without the code (front ends add it once). */
    public String describe() {
        return field + ": " + message;
    }

    @Override
    public String toString() {
        return describe() + " [" + code + "]";
    }
}
