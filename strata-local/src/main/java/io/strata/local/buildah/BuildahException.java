package io.strata.local.buildah;

import io.strata.core.StrataException;

/** A buildah operation failed; {@link #failure()} says which kind, {@link #reason()} is its code. */
public final class BuildahException extends StrataException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure a caller can tell apart (and a build record keeps as its reason code). */
    public enum Failure {
        /** A Dockerfile instruction (usually a RUN step) or the build itself failed. */
        BUILD_FAILED,
        /** The registry refused the credentials in the auth file. */
        PUSH_AUTH_FAILED,
        /** Nothing answered at the registry's address. */
        REGISTRY_UNREACHABLE,
        /** The push failed for another reason. */
        PUSH_FAILED,
        /** buildah is not installed or not on PATH. */
        BUILDAH_MISSING,
        /** The operation was cancelled; buildah and its children were stopped. */
        CANCELLED,
        /** Another buildah command (inspect, rmi, from, ...) failed. */
        BUILDAH_FAILED
    }

    private final Failure failure;

    BuildahException(Failure failure, String message, String hint) {
        super(failure.name(), message, hint);
        this.failure = failure;
    }

    BuildahException(Failure failure, String message, String hint, Throwable cause) {
        super(failure.name(), message, hint, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
