package io.strata.local.store;

import io.strata.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The operations of the store on a real PostgreSQL server: claims with FOR UPDATE SKIP LOCKED. */
class PostgresOperationsStoreIT extends OperationsStoreContract {
    private static PostgresFixture postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresFixture.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.stop();
    }

    @Override
    protected BuildStoreContract.Target emptyDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
        return new BuildStoreContract.Target(postgres.jdbcUrl(), Optional.of(postgres.user()),
                Optional.of(Secret.of(postgres.password())));
    }
}
