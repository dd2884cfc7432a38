package io.strata.local.store;

import io.strata.core.io.UrlCredentials;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the store lives and how to log in. The only holder of the password; everything it says
 * about itself ({@link #redactedUrl()}, {@link #redact(String)}) has credentials masked.
 */
record StoreLocation(String url, Optional<String> user, Optional<Secret> password, Database database) {

    StoreLocation {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(database, "database");
    }

    static StoreLocation of(String url, Optional<String> user, Optional<Secret> password) throws StoreException {
        return new StoreLocation(url, user, password, Database.of(url));
    }

    Connection connect() throws SQLException {
        Properties properties = database.connectionProperties();
        user.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p.reveal()));
        return database.connect(url, properties);
    }

    String redactedUrl() {
        return UrlCredentials.redact(url);
    }

    /** Masks the URL's passwords and the given password in text from a driver or Flyway. */
    String redact(String text) {
        if (text == null) {
            return "";
        }
        String masked = text.replace(url, redactedUrl());
        masked = UrlCredentials.redact(masked);
        if (password.isPresent() && !password.get().reveal().isEmpty()) {
            masked = masked.replace(password.get().reveal(), "****");
        }
        return masked;
    }

    StoreException unavailable(String detail) {
        return new StoreException(StoreReasons.STORE_UNAVAILABLE,
                "cannot use the build store at " + redactedUrl() + ": " + redact(detail),
                database.unavailableHint());
    }

    @Override
    public String toString() {
        return redactedUrl();
    }
}
