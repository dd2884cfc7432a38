package io.strata.core.store;

import io.strata.core.StrataException;

/** The store could not do what was asked: missing build, illegal transition, or the database failed. */
public class StoreException extends StrataException {
    private static final long serialVersionUID = 1L;

    public StoreException(String reason, String message, String hint) {
        super(reason, message, hint);
    }

    public StoreException(String reason, String message, String hint, Throwable cause) {
        super(reason, message, hint, cause);
    }
}
