package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresFixtureIT {
    @Test
    void acceptsJdbcConnectionsToItsOwnDatabase() throws Exception {
        try (PostgresFixture postgres = PostgresFixture.start();
                Connection connection = DriverManager.getConnection(
                        postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v text)");
            statement.execute("INSERT INTO t VALUES ('stored')");
            try (ResultSet rows = statement.executeQuery("SELECT current_database(), current_user, v FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("strata_test");
                assertThat(rows.getString(2)).isEqualTo("strata");
                assertThat(rows.getString(3)).isEqualTo("stored");
            }
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/strata_test");
        }
    }

    @Test
    void stopEndsOpenSessionsAndRemovesTheDataDirectory() throws Exception {
        PostgresFixture postgres = PostgresFixture.start();
        Path data = postgres.dataDirectory();
        assertThat(data.resolve("PG_VERSION")).isRegularFile();
        try (Connection open = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            postgres.stop();

            assertThat(open.isValid(5)).isFalse();
        }
        assertThat(Files.exists(data.getParent())).isFalse();
    }
}
