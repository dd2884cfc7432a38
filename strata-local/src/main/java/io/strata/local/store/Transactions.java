package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs a unit of work in one transaction on a pooled connection: commit on success, roll back
 * otherwise. On SQLite a write shares its transaction with the others waiting at that moment, each
 * in a savepoint of its own ({@link GroupCommit}); its outcome is its own all the same.
 */
public final class Transactions {

    /** Told how long each transaction took, waiting for a connection included (the store latency metric). */
    @FunctionalInterface
    public interface LatencyObserver {
        void observed(boolean write, long nanos, boolean failed);
    }

    private static final LatencyObserver NOBODY = (write, nanos, failed) -> { };
    private volatile LatencyObserver observer = NOBODY;

    void observe(LatencyObserver latencyObserver) {
        this.observer = latencyObserver;
    }

    /** Work against an open connection; the caller never commits or closes. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException, StoreException;
    }

    private final ConnectionPool pool;
    private final Database database;
    private final WriteSignal writes = new WriteSignal();
    /** SQLite's writes share transactions (one fsync for many writes); PostgreSQL's do not need to. */
    private final GroupCommit groupCommit;

    Transactions(ConnectionPool pool, Database database, String where) {
        this.pool = pool;
        this.database = database;
        this.groupCommit = database == Database.SQLITE ? new GroupCommit(pool, database, where) : null;
    }

    /** The writing transactions committed through this store in this process, and a wait for the next. */
    WriteSignal writes() {
        return writes;
    }

    /** Transactions the group commit committed (SQLite); 0 on PostgreSQL, whose writes commit one by one. */
    long sharedCommits() {
        return groupCommit == null ? 0 : groupCommit.commits();
    }

    /** As {@link #inTransaction(Work)} for work that only reads: it never waits for writers. */
    <T> T reading(Work<T> work) throws SQLException, StoreException {
        return run(work, false);
    }

    /**
     * Runs {@code work} in a transaction. A {@link StoreException} from the work (a refused
     * request) rolls back and keeps the connection; an {@link SQLException} rolls back and discards
     * it, since it may be broken, and is rethrown for the caller to translate or retry.
     */
    <T> T inTransaction(Work<T> work) throws SQLException, StoreException {
        return run(work, true);
    }

    private <T> T run(Work<T> work, boolean write) throws SQLException, StoreException {
        long start = System.nanoTime();
        // Failed: the database did not answer (an SQLException, no connection); a refusal is an answer.
        boolean failed = false;
        try {
            T result = write && groupCommit != null ? groupCommit.write(work) : timed(work, write);
            if (write) {
                writes.written();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            failed = true;
            throw e;
        } catch (StoreException e) {
            // No connection to be had is an outage; any other StoreException is the store's answer.
            failed = StoreReasons.STORE_UNAVAILABLE.equals(e.reason());
            throw e;
        } finally {
            observer.observed(write, System.nanoTime() - start, failed);
        }
    }

    private <T> T timed(Work<T> work, boolean write) throws SQLException, StoreException {
        Connection connection = pool.borrow();
        boolean healthy = false;
        try {
            database.begin(connection, write);
        } catch (SQLException | RuntimeException e) {
            pool.discard(connection);
            throw e;
        }
        try {
            T result = work.run(connection);
            database.commit(connection);
            healthy = true;
            return result;
        } catch (StoreException refused) {
            database.rollback(connection);
            healthy = true;
            throw refused;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            if (healthy) {
                pool.giveBack(connection);
            } else {
                pool.discard(connection);
            }
        }
    }

    private void rollbackQuietly(Connection connection, Exception cause) {
        try {
            database.rollback(connection);
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
