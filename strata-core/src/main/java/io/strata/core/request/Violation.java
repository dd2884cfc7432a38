package io.strata.core.request;

import java.util.Objects;

/**
 * One thing wrong with a build request: a stable reason code, the request field it concerns
 * (osbs-client's spelling, e.g. {@code git_uri}) and a message saying what to do.
 */
public record Violation(ReasonCode code, String field, String message) {
    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message + " [" + code + "]";
    }
}
