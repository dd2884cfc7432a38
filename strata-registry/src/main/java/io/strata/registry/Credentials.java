package io.strata.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for one registry. {@link #toString()} hides the password so that a
 * record printed into a log or an exception message cannot leak it.
 */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("registry user name is empty");
        }
        if (password == null) {
            throw new IllegalArgumentException("registry password is missing");
        }
    }

    /** The value of an {@code Authorization} header for HTTP Basic authentication. */
    String basicAuthorization() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=<hidden>]";
    }
}
