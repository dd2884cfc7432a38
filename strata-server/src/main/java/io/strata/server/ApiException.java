package io.strata.server;

import io.strata.core.StrataException;

/** A refusal of the HTTP layer itself (API or web UI), with the status it answers. */
public final class ApiException extends StrataException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String reason, String message, String hint) {
        super(reason, message, hint);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
