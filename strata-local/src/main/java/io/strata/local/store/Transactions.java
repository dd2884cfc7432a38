package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of work in one transaction on a pooled connection: commit on success, roll back otherwise. */
final class Transactions {

    /** Work against an open connection; the caller never commits or closes. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException, StoreException;
    }

    private final ConnectionPool pool;

    Transactions(ConnectionPool pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} in a transaction. A {@link StoreException} from the work (a refused
     * request) rolls back and keeps the connection; an {@link SQLException} rolls back and discards
     * it, since it may be broken, and is rethrown for the caller to translate or retry.
     */
    <T> T inTransaction(Work<T> work) throws SQLException, StoreException {
        Connection connection = pool.borrow();
        boolean healthy = false;
        try {
            connection.setAutoCommit(false);
            T result = work.run(connection);
            connection.commit();
            healthy = true;
            return result;
        } catch (StoreException refused) {
            connection.rollback();
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

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
