package io.strata.worker.buildah;

import io.strata.core.StrataException;
import io.strata.registry.TransientFailure;
import java.util.Optional;

/** A buildah operation failed; {@link #failure()} says which kind, {@link #reason()} is its code. */
public final class BuildahException extends StrataException implements TransientFailure {
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
    /** Null unless the registry failed in a way that may pass (see {@link TransientFailure}). */
    private final String transientCause;

    BuildahException(Failure failure, String message, String hint) {
        super(failure.name(), message, hint);
        this.failure = failure;
        this.transientCause = null;
    }

    /** A registry failure that may pass by itself; {@code transientCause} in a few words. */
    BuildahException(Failure failure, String message, String hint, String transientCause) {
        super(failure.name(), message, hint);
        this.failure = failure;
        this.transientCause = transientCause;
    }

    BuildahException(Failure failure, String message, String hint, Throwable cause) {
        super(failure.name(), message, hint, cause);
        this.failure = failure;
        this.transientCause = null;
    }

    @Override
    public Optional<String> transientCause() {
        return Optional.ofNullable(transientCause);
    }

    public Failure failure() {
        return failure;
    }
}
