package io.strata.registry;

import io.strata.core.StrataException;

import java.util.Objects;
import java.util.Optional;

/**
 * A registry failure a caller can act on. The {@link Reason} is the stable code kept in build
 * records; the message names the image, registry or file involved; the hint says how to fix it.
 * Messages and hints never contain credentials or tokens.
 */
public final class RegistryException extends StrataException implements TransientFailure {
    private static final long serialVersionUID = 1L;

    /** Every way registry access can fail; {@code docs/registry.md} explains each one. */
    public enum Reason {
        /** The text is not a valid image reference. */
        INVALID_IMAGE_REFERENCE,
        /** The registry auth file cannot be read or is not valid JSON of the expected shape. */
        REGISTRY_AUTH_FILE_INVALID,
        /** The registry answered 404 / MANIFEST_UNKNOWN / NAME_UNKNOWN. */
        IMAGE_NOT_FOUND,
        /** The registry refused us after we sent the credentials or token we have. */
        REGISTRY_AUTH_FAILED,
        /** No HTTP answer: connection refused, DNS failure, TLS failure or timeout. */
        REGISTRY_UNREACHABLE,
        /** A manifest list has no entry for the requested platform. */
        PLATFORM_NOT_IN_MANIFEST_LIST,
        /** A single image manifest was needed but the registry holds a list or an unsupported schema. */
        NOT_AN_IMAGE_MANIFEST,
        /** The bytes the registry sent do not hash to the digest that was asked for. */
        DIGEST_MISMATCH,
        /** Any other answer the registry gave, with the registry's own error message. */
        REGISTRY_ERROR
    }

    private final Reason reasonCode;
    /** Null when trying again will not help. */
    private final String transientCause;

    public RegistryException(Reason reasonCode, String message, String hint) {
        this(reasonCode, message, hint, null);
    }

    public RegistryException(Reason reasonCode, String message, String hint, Throwable cause) {
        this(reasonCode, message, hint, cause, null);
    }

    /** A failure that may go away by itself; {@code transientCause} says what it was in a few words. */
    RegistryException(Reason reasonCode, String message, String hint, Throwable cause, String transientCause) {
        super(Objects.requireNonNull(reasonCode, "reasonCode").name(), message, hint, cause);
        this.reasonCode = reasonCode;
        this.transientCause = transientCause;
    }

    @Override
    public Optional<String> transientCause() {
        return Optional.ofNullable(transientCause);
    }

    /** The reason as a type; {@link #reason()} gives the same value as a string. */
    public Reason reasonCode() {
        return reasonCode;
    }
}
