package io.strata.server;

import io.strata.core.StrataException;

/** A refusal of the HTTP layer itself, with the status it answers. */
final class ApiException extends StrataException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(int status, String reason, String message, String hint) {
        super(reason, message, hint);
        this.status = status;
    }

    int status() {
        return status;
    }
}
