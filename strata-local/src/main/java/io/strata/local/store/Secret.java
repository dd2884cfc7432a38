package io.strata.local.store;

import java.util.Objects;

/**
 * A database password. Kept out of {@link #toString()}, so that a password passed around with a
 * store URL cannot end up in a log line, an exception message or a build record by accident;
 * {@link #reveal()} is the one place it is read, when a connection is opened.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
