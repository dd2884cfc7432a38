package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Opens the build store named by a JDBC URL, bringing its schema up to date first; a schema that
 * is current already ({@link SchemaVersions}) is opened without Flyway.
 */
public final class BuildStores {
    private BuildStores() {}

    public static JdbcBuildStore open(String jdbcUrl, Optional<String> user, Optional<Secret> password)
            throws StoreException {
        return open(jdbcUrl, user, password, Clock.systemUTC());
    }

    /**
     * Loads the embedded store's driver and opens and closes a database in memory, touching no file:
     * a process's first SQLite connection loads the native library and sets up the driver's date
     * formats (the time zone, the locale data: 25-45 ms in a fresh JVM), which a command can do on
     * another core while it parses its arguments ({@code io.strata.cli.StartUpWarmUp}). Failing only
     * costs the head start: the store's own first connection reports what fails.
     */
    public static void warmUpEmbedded() {
        try (java.sql.Connection ignored = Database.SQLITE.connect(Database.SQLITE.urlPrefix() + ":memory:",
                new java.util.Properties())) {
            // Opened and closed: all the warm-up is for.
        } catch (java.sql.SQLException e) {
            // The real connection fails the same way and says so.
        }
    }

    /** As {@link #open(String, Optional, Optional)}, with the clock that stamps builds and states. */
    public static JdbcBuildStore open(String jdbcUrl, Optional<String> user, Optional<Secret> password, Clock clock)
            throws StoreException {
        StoreLocation location = StoreLocation.of(jdbcUrl, user, password);
        Optional<Path> embeddedFile = location.database() == Database.SQLITE
                ? EmbeddedFiles.databaseFile(location)
                : Optional.empty();
        if (embeddedFile.isPresent()) {
            EmbeddedFiles.prepareDirectory(location, embeddedFile.get());
        }
        ConnectionPool pool = new ConnectionPool(location, location.database().poolSize());
        try {
            // Borrowing first reports an unreachable database as STORE_UNAVAILABLE, not as a migration failure.
            java.sql.Connection first = pool.borrow();
            boolean current;
            try {
                current = SchemaVersions.newestBundled(BuildStores.class.getClassLoader())
                        .stream().anyMatch(newest -> SchemaVersions.isCurrent(first, newest));
            } finally {
                pool.giveBack(first);
            }
            if (current) {
                // Nothing to migrate: Flyway is not even loaded (docs/store.md, "Opening the store").
                return new JdbcBuildStore(location, pool, clock);
            }
            if (embeddedFile.isPresent()) {
                EmbeddedFiles.exclusively(location, embeddedFile.get(), () -> migrate(location));
            } else {
                migrate(location);
            }
        } catch (StoreException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcBuildStore(location, pool, clock);
    }

    private static void migrate(StoreLocation location) throws StoreException {
        try {
            Flyway.configure(BuildStores.class.getClassLoader())
                    .dataSource(new LocationDataSource(location))
                    .locations("classpath:db/migration")
                    // Through slf4j like JGit, so the application picks one place and level for both;
                    // Flyway's own default would print INFO lines through java.util.logging on stderr.
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException(StoreReasons.STORE_MIGRATION_FAILED,
                    "could not bring the schema of the build store at " + location + " up to date: "
                            + location.redact(e.getMessage()),
                    "a newer Strata may have migrated this database already, or the schema was changed by hand;"
                            + " see docs/store.md");
        }
    }
}
