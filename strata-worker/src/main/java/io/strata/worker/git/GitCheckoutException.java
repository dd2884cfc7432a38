package io.strata.worker.git;

import io.strata.core.StrataException;

/** A checkout failed; {@link #failure()} says which kind, {@link #reason()} is its code. */
public final class GitCheckoutException extends StrataException {
    private static final long serialVersionUID = 1L;

    public enum Failure {
        /** Nothing answered at the URI, or no repository is there. */
        GIT_UNREACHABLE,
        /** The repository has no such branch, tag or commit. */
        GIT_REF_NOT_FOUND,
        /** The server wants credentials, or refused the ones given. */
        GIT_AUTH_FAILED,
        /** The checkout was interrupted. */
        CANCELLED,
        /** Anything else (disk full, corrupt repository). */
        GIT_CHECKOUT_FAILED
    }

    private final Failure failure;

    GitCheckoutException(Failure failure, String message, String hint, Throwable cause) {
        super(failure.name(), message, hint, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
