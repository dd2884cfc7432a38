package io.strata.local.store;

import io.strata.testkit.FreePorts;
import io.strata.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL server, started on loopback for this class. */
class PostgresBuildStoreIT extends BuildStoreContract {
    private static PostgresFixture postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresFixture.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.stop();
    }

    /** One server for the class; each test starts from an empty schema, so migrations run every time. */
    @Override
    protected Target emptyDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        return new Target(postgres.jdbcUrl(), Optional.of(postgres.user()), Optional.of(Secret.of(postgres.password())));
    }

    @org.junit.jupiter.api.Test
    void aStoreSessionIdleInATransactionIsEndedByTheServerSoAFrozenMemberCannotHoldItsRowLocks() throws Exception {
        StoreLocation location = StoreLocation.of(postgres.jdbcUrl(), Optional.of(postgres.user()),
                Optional.of(Secret.of(postgres.password())));
        try (Connection connection = location.connect(); Statement statement = connection.createStatement();
                java.sql.ResultSet shown = statement.executeQuery("SHOW idle_in_transaction_session_timeout")) {
            shown.next();
            org.assertj.core.api.Assertions.assertThat(shown.getString(1)).isEqualTo("1min");
        }
    }

    /** A loopback port nobody listens on. */
    @Override
    protected String unreachableUrl(String password) {
        return "jdbc:postgresql://127.0.0.1:" + FreePorts.loopback() + "/strata?user=strata&password=" + password
                + "&connectTimeout=5";
    }
}
