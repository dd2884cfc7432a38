package io.strata.core.service;

import io.strata.core.StrataException;

/** The service refused a call: a reason of {@link ServiceReasons}, what happened, how to fix it. */
public class ServiceException extends StrataException {
    private static final long serialVersionUID = 1L;

    public ServiceException(String reason, String message, String hint) {
        super(reason, message, hint);
    }
}
