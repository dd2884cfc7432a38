package io.strata.local.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Flyway's way in: connections opened exactly like the store's own ({@link StoreLocation#connect()}),
 * so the migration runs with the same SQLite settings (WAL, busy timeout) and credentials.
 */
final class LocationDataSource implements DataSource {
    private final StoreLocation location;

    LocationDataSource(StoreLocation location) {
        this.location = location;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return location.connect();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's credentials come from its location");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Nothing is logged through this data source.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Each driver's own timeout applies (URL parameters, busy_timeout).
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
