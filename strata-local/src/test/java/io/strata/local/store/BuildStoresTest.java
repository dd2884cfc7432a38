package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStoresTest {
    @TempDir
    Path home;

    /**
     * Connections come from the SQLite driver directly, not through DriverManager (whose first use scans
     * every jar for drivers): they must still be WAL, FULL, with the busy timeout and foreign keys.
     */
    @Test
    void anEmbeddedConnectionHasTheStoreSettingsWithoutTheDriverManager() throws Exception {
        String url = "jdbc:sqlite:" + home.resolve("store/strata.db");
        try (JdbcBuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty());
                Connection connection = StoreLocation.of(url, Optional.empty(), Optional.empty()).connect()) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "synchronous")).as("FULL").isEqualTo("2");
            assertThat(pragma(connection, "busy_timeout")).isEqualTo(Integer.toString(Database.BUSY_TIMEOUT_MILLIS));
            assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
            assertThat(store.list(io.strata.core.store.BuildQuery.all(10))).isEmpty();
        }
    }

    /** The warm-up opens a database in memory: no file appears where the process runs, and the store opens after it. */
    @Test
    void theWarmUpTouchesNoFile() throws Exception {
        Path workingDirectory = Path.of("").toAbsolutePath();
        try (var before = java.nio.file.Files.list(workingDirectory)) {
            var names = before.map(Path::getFileName).toList();
            BuildStores.warmUpEmbedded();
            try (var after = java.nio.file.Files.list(workingDirectory)) {
                assertThat(after.map(Path::getFileName).toList()).containsExactlyInAnyOrderElementsOf(names);
            }
        }
        try (JdbcBuildStore store = BuildStores.open("jdbc:sqlite:" + home.resolve("store/strata.db"), Optional.empty(),
                Optional.empty())) {
            assertThat(store.list(io.strata.core.store.BuildQuery.all(1))).isEmpty();
        }
    }

    private static String pragma(Connection connection, String name) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void anUnsupportedDatabaseIsUnavailableWithTheSupportedOnesNamed() {
        assertThatThrownBy(() -> BuildStores.open("jdbc:mysql://db/strata?password=hunter2", Optional.empty(),
                Optional.empty()))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo("STORE_UNAVAILABLE");
                    assertThat(e.getMessage())
                            .isEqualTo("store URL jdbc:mysql://db/strata?password=**** names no supported database");
                    assertThat(e.hint()).isEqualTo("set strata_store_url to jdbc:sqlite:... or jdbc:postgresql:..., or"
                            + " leave it unset for the embedded store");
                });
    }

    @Test
    void thePasswordNeverShowsInWhatTheLocationSays() throws StoreException {
        StoreLocation location = StoreLocation.of("jdbc:postgresql://db/strata?password=hunter2", Optional.of("strata"),
                Optional.of(Secret.of("s3cret")));

        assertThat(location.toString()).isEqualTo("jdbc:postgresql://db/strata?password=****");
        assertThat(location.redact("FATAL: password authentication failed (tried s3cret) for"
                + " jdbc:postgresql://db/strata?password=hunter2"))
                .isEqualTo("FATAL: password authentication failed (tried ****) for jdbc:postgresql://db/strata?password=****");
        assertThat(Secret.of("s3cret").toString()).isEqualTo("****");
    }
}
