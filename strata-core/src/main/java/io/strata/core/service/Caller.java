package io.strata.core.service;

import java.util.Objects;

/**
 * Who calls the service: the user a token (REST) or the local account (CLI) stands for, and
 * whether they may see and cancel everyone's builds.
 */
public record Caller(String user, boolean admin) {
    public Caller {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("a caller needs a user name");
        }
    }

    public static Caller user(String name) {
        return new Caller(name, false);
    }

    public static Caller admin(String name) {
        return new Caller(name, true);
    }

    /** Whether this caller may see or cancel a build submitted by {@code owner} (null: nobody recorded). */
    public boolean mayAccess(String owner) {
        return admin || user.equals(owner);
    }
}
