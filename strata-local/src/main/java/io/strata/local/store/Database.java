package io.strata.local.store;

import io.strata.core.io.UrlCredentials;
import io.strata.core.store.StoreException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The databases the store runs on, recognised by the JDBC URL prefix. */
enum Database {
    H2("jdbc:h2:", 4,
            "check that the store directory can be created and written, and that no other program holds the"
                    + " database file; set strata_store_url (or STRATA_STORE_URL) to use another store"),
    POSTGRESQL("jdbc:postgresql:", 8,
            "check that PostgreSQL runs and accepts connections at that address, and the user and password;"
                    + " set strata_store_url (or STRATA_STORE_URL) to point elsewhere");

    private final String urlPrefix;
    private final int poolSize;
    private final String unavailableHint;

    Database(String urlPrefix, int poolSize, String unavailableHint) {
        this.urlPrefix = urlPrefix;
        this.poolSize = poolSize;
        this.unavailableHint = unavailableHint;
    }

    static Database of(String jdbcUrl) throws StoreException {
        for (Database database : values()) {
            if (jdbcUrl.startsWith(database.urlPrefix)) {
                return database;
            }
        }
        String supported = Arrays.stream(values()).map(d -> d.urlPrefix + "...").collect(Collectors.joining(" or "));
        throw new StoreException(StoreReasons.STORE_UNAVAILABLE, "store URL " + UrlCredentials.redact(jdbcUrl) + " names no supported database",
                "set strata_store_url to " + supported + ", or leave it unset for the embedded store");
    }

    String unavailableHint() {
        return unavailableHint;
    }

    /**
     * Connections kept open at most. H2 embedded shares one engine in-process, so a few suffice;
     * PostgreSQL serves many builds at once in a fleet.
     */
    int poolSize() {
        return poolSize;
    }
}
