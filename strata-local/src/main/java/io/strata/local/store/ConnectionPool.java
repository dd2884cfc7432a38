package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * A few reusable connections, at most {@code size} in use at once; callers beyond that wait.
 * Opening a connection per operation costs a TCP + auth round trip on PostgreSQL and a database
 * open on H2, and a full pool library would be a dependency for twenty lines.
 * A connection that failed is discarded, not reused, so a database restart heals by itself.
 */
final class ConnectionPool implements AutoCloseable {
    private final StoreLocation location;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(StoreLocation location, int size) {
        this.location = location;
        this.permits = new Semaphore(size, true);
    }

    Connection borrow() throws StoreException {
        if (closed) {
            throw new IllegalStateException("the build store at " + location + " is closed");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreReasons.STORE_INTERRUPTED,
                    "interrupted while waiting for a connection to the build store at " + location, "");
        }
        Connection reused = idle.pollFirst();
        if (reused != null) {
            return reused;
        }
        try {
            return location.connect();
        } catch (SQLException e) {
            permits.release();
            throw location.unavailable(e.getMessage());
        }
    }

    void giveBack(Connection connection) {
        idle.addFirst(connection);
        permits.release();
        if (closed) {
            closeIdle();
        }
    }

    void discard(Connection connection) {
        closeQuietly(connection);
        permits.release();
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    /** Safe to run from several threads at once: each connection is polled, hence closed, once. */
    private void closeIdle() {
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection fails as often as not; there is nothing left to release.
        }
    }
}
