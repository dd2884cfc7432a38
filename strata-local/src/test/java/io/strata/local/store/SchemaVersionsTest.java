package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that lets an open skip Flyway: only a store with every bundled migration applied, none failed, is current. */
class SchemaVersionsTest {
    @TempDir
    Path dir;

    private static int newestOnDisk() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
    }

    @Test
    void theBundledMigrationsAreNumberedWithoutAGap() throws Exception {
        // A gap (V7 then V9, as two branches once merged) makes every open look behind and run Flyway.
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            java.util.List<Integer> versions = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().toList();
            assertThat(versions).isEqualTo(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList());
        }
    }

    @Test
    void theNewestBundledMigrationIsFoundOnTheClassPath() throws Exception {
        assertThat(SchemaVersions.newestBundled(getClass().getClassLoader())).hasValue(newestOnDisk());
    }

    @Test
    void aMigratedStoreIsCurrentAndAnEmptyOrBehindOrFailedOneIsNot() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("strata.db");
        int newest = newestOnDisk();
        try (Connection empty = DriverManager.getConnection(url)) {
            assertThat(SchemaVersions.isCurrent(empty, newest)).isFalse();
        }
        BuildStores.open(url, Optional.empty(), Optional.empty()).close();
        try (Connection migrated = DriverManager.getConnection(url)) {
            assertThat(SchemaVersions.isCurrent(migrated, newest)).isTrue();
            assertThat(SchemaVersions.isCurrent(migrated, newest + 1)).as("a newer migration to apply").isFalse();
            try (Statement statement = migrated.createStatement()) {
                statement.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '1'");
            }
            assertThat(SchemaVersions.isCurrent(migrated, newest)).as("a failed migration").isFalse();
        }
    }

    @Test
    void aSecondOpenOfACurrentStoreWorks() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("again.db");
        BuildStores.open(url, Optional.empty(), Optional.empty()).close();
        try (JdbcBuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            assertThat(store.list(io.strata.core.store.BuildQuery.all(10))).isEmpty();
        }
    }
}
