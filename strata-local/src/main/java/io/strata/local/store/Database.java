package io.strata.local.store;

import io.strata.core.io.UrlCredentials;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The databases the store runs on, recognised by the JDBC URL prefix, and the few things the
 * same SQL cannot say for both: how a transaction starts and how a writer locks a build's row.
 */
enum Database {
    /**
     * SQLite in WAL mode: many processes of one machine on one file (docs/store.md says why).
     * Writers start with BEGIN IMMEDIATE, taking the database's one write lock up front: a
     * deferred transaction that reads first and writes later can find its snapshot stale and fail
     * with SQLITE_BUSY at once, busy_timeout or not. Holding the write lock is what serialises
     * writers, so no row lock clause is needed (SQLite has none).
     */
    SQLITE("jdbc:sqlite:", 4, "", "",
            "check that $STRATA_HOME (strata_home) is a directory you can write, on a local file system;"
                    + " set strata_home (or STRATA_HOME) to another directory, or strata_store_url to use another store") {
        @Override
        Properties connectionProperties() {
            Properties properties = new Properties();
            properties.setProperty("journal_mode", "WAL");
            // FULL: a commit is on disk (WAL fsync) before it is acknowledged, so a build a command
            // reported COMPLETE survives a power cut too, not only a crash of the process.
            properties.setProperty("synchronous", "FULL");
            properties.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MILLIS));
            properties.setProperty("foreign_keys", "true");
            return properties;
        }

        @Override
        Connection connect(String url, Properties properties) throws SQLException {
            SqliteNativeLibrary.prepare();
            return accepted(org.sqlite.JDBC.createConnection(url, properties), url);
        }

        @Override
        void begin(Connection connection, boolean write) throws SQLException {
            // The driver stays in auto-commit mode; the transaction is SQLite's own, so it can be IMMEDIATE.
            execute(connection, write ? "BEGIN IMMEDIATE" : "BEGIN");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            execute(connection, "ROLLBACK");
        }

    },
    POSTGRESQL("jdbc:postgresql:", 8, " FOR UPDATE", " FOR UPDATE SKIP LOCKED",
            "check that PostgreSQL runs and accepts connections at that address, and the user and password;"
                    + " set strata_store_url (or STRATA_STORE_URL) to point elsewhere") {
        /**
         * A fleet member frozen inside a transaction (a stopped process, a paused VM) would hold the
         * rows it locked for as long as its connection lives, and every other member's claim passes
         * such a build over: PostgreSQL ends a session idle in a transaction for a minute, rolling it
         * back, so the fleet takes the build on. Strata's transactions run SQL only, in milliseconds.
         * TCP keep-alive notices a member whose machine is gone.
         */
        @Override
        Properties connectionProperties() {
            Properties properties = new Properties();
            properties.setProperty("options", "-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION_TIMEOUT.toMillis());
            properties.setProperty("tcpKeepAlive", "true");
            return properties;
        }

        @Override
        Connection connect(String url, Properties properties) throws SQLException {
            return accepted(new org.postgresql.Driver().connect(url, properties), url);
        }
    };

    /** How long PostgreSQL lets a store session sit idle inside a transaction before it ends it. */
    static final java.time.Duration IDLE_IN_TRANSACTION_TIMEOUT = java.time.Duration.ofMinutes(1);

    /** How long a writer waits for another process's write transaction before giving up. */
    static final int BUSY_TIMEOUT_MILLIS = 60_000;

    private final String urlPrefix;
    private final int poolSize;
    private final String rowLockClause;
    private final String skipLockedClause;
    private final String unavailableHint;

    Database(String urlPrefix, int poolSize, String rowLockClause, String skipLockedClause, String unavailableHint) {
        this.urlPrefix = urlPrefix;
        this.poolSize = poolSize;
        this.rowLockClause = rowLockClause;
        this.skipLockedClause = skipLockedClause;
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

    String urlPrefix() {
        return urlPrefix;
    }

    String unavailableHint() {
        return unavailableHint;
    }

    /**
     * Connections kept open at most. SQLite lets one writer in at a time anyway, so a few
     * suffice; PostgreSQL serves many builds at once in a fleet.
     */
    int poolSize() {
        return poolSize;
    }

    /** Appended to the SELECT with which a writer locks a build's row. */
    String rowLockClause() {
        return rowLockClause;
    }

    /**
     * Appended to a SELECT that locks the rows it returns but passes over rows another transaction
     * holds (a claim in a fleet: no waiting behind another scheduler). SQLite has no row locks; its
     * writers hold the database's one write lock.
     */
    String skipLockedClause() {
        return skipLockedClause;
    }

    /** An SQL expression for the length in bytes (UTF-8) of a text column. */
    String byteLength(String column) {
        return this == SQLITE ? "LENGTH(CAST(" + column + " AS BLOB))" : "OCTET_LENGTH(" + column + ")";
    }

    /**
     * A new connection, from this database's driver itself. Not through {@link java.sql.DriverManager}: its
     * first use loads every driver on the class path, looking for their service files in each of the
     * command line's jars, which was most of the time a command took to open the store (docs/benchmarks.md,
     * "Whole CLI").
     */
    abstract Connection connect(String url, Properties properties) throws SQLException;

    /** A driver answers null for a URL it does not take; {@link #of} picked it by the URL, so this is a bug. */
    private static Connection accepted(Connection connection, String url) throws SQLException {
        if (connection == null) {
            throw new SQLException("the driver does not take the URL " + UrlCredentials.redact(url));
        }
        return connection;
    }

    /** Driver properties on top of the URL's and the credentials. */
    Properties connectionProperties() {
        return new Properties();
    }

    /** Starts a transaction; {@code write} when it may write. */
    void begin(Connection connection, boolean write) throws SQLException {
        connection.setAutoCommit(false);
    }

    void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    void rollback(Connection connection) throws SQLException {
        connection.rollback();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
