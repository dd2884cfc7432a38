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
 * open (and WAL set-up) on SQLite, and a full pool library would be a dependency for twenty lines.
 * A connection that failed is discarded, and an idle one is checked before reuse, so a database
 * restart heals by itself: only operations under way at that moment fail.
 */
final class ConnectionPool implements AutoCloseable {
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

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
        for (Connection reused = idle.pollFirst(); reused != null; reused = idle.pollFirst()) {
            // A SQLite connection is a file handle of this process: nothing can end it behind our back.
            if (location.database() == Database.SQLITE || isUsable(reused)) {
                return reused;
            }
            closeQuietly(reused);
        }
        try {
            Connection connection = location.connect();
            if (location.database() == Database.SQLITE) {
                StatementCache.keepFor(connection);
            }
            return connection;
        } catch (SQLException e) {
            permits.release();
            throw location.unavailable(e.getMessage());
        }
    }

    /**
     * An idle connection can die without an error on our side: PostgreSQL restarted.
     */
    private static boolean isUsable(Connection connection) {
        try {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
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
        StatementCache.forget(connection);
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection fails as often as not; there is nothing left to release.
        }
    }
}
