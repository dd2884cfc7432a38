package io.strata.testkit;

/**
 * A fixture could not be set up or torn down. Unchecked on purpose: a broken fixture is a broken
 * test environment, and tests should not have to declare or catch it.
 */
public final class FixtureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FixtureException(String message) {
        super(message);
    }

    public FixtureException(String message, Throwable cause) {
        super(message, cause);
    }
}
