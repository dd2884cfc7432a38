package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of the embedded store's write transactions (docs/store.md, "Group commit"). Under
 * {@code synchronous=FULL} every commit of SQLite costs an fsync of the WAL, and SQLite lets one
 * writer in at a time, so one transaction per write caps the store at one write per fsync. Here
 * the caller that finds no writer at work becomes the writer: it takes every write waiting at that
 * moment (its own first), runs them in ONE transaction, each inside a savepoint of its own, commits
 * once, and hands each caller its own outcome; then it passes the writer's role to the next caller
 * waiting, if any. A write that fails is rolled back to its savepoint and fails alone; the others
 * commit. A call returns only after the commit that holds its write is on disk, so durability is
 * the same as one transaction per write.
 */
final class GroupCommit {
    /** Bounds one transaction (and the time its callers wait for it); the rest go in the next. */
    static final int MAX_BATCH = 256;

    private final ConnectionPool pool;
    private final Database database;
    private final String where;
    private final ReentrantLock lock = new ReentrantLock();
    /** Writes not yet taken into a transaction, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<Write<?>> waiting = new ArrayDeque<>();
    /** Whether some caller is the writer now. Guarded by {@link #lock}. */
    private boolean writing;
    /** The writer's thread while it runs a transaction, to refuse a write from inside another write. */
    private volatile Thread writer;
    /** Transactions committed so far (how many writes shared one is what the tests and the benchmark look at). */
    private final java.util.concurrent.atomic.LongAdder commits = new java.util.concurrent.atomic.LongAdder();

    GroupCommit(ConnectionPool pool, Database database, String where) {
        this.pool = pool;
        this.database = database;
        this.where = where;
    }

    /**
     * Runs {@code work} in a savepoint of the next transaction and returns once that transaction
     * is committed (or, when the work failed, once its savepoint is rolled back), with what the
     * work returned or threw. A {@link StoreException} of the work is a refusal, an
     * {@link SQLException} a failure of the database; both reach this caller only.
     */
    <T> T write(Transactions.Work<T> work) throws SQLException, StoreException {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
        if (writer == Thread.currentThread()) {
            // It would wait for the transaction it is running in, forever.
            throw new IllegalStateException("a store write inside another write's transaction; do it after that write returns");
        }
        Write<T> mine = new Write<>(work);
        boolean lead;
        lock.lock();
        try {
            waiting.addLast(mine);
            lead = !writing;
            if (lead) {
                writing = true;
                mine.promoted = true;
            }
        } finally {
            lock.unlock();
        }
        if (!lead) {
            awaitTurn(mine);
        }
        if (!mine.isDone()) {
            lead();
        }
        return mine.outcome();
    }

    /** Waits until another writer ran this write or handed the writer's role over to it. */
    private void awaitTurn(Write<?> mine) throws StoreException {
        boolean interrupted = false;
        while (true) {
            try {
                mine.turn.await();
                break;
            } catch (InterruptedException e) {
                lock.lock();
                try {
                    // Not taken into a transaction yet: withdrawn, as a wait for a connection would end.
                    if (!mine.taken && !mine.promoted) {
                        waiting.remove(mine);
                        Thread.currentThread().interrupt();
                        throw interrupted();
                    }
                } finally {
                    lock.unlock();
                }
                // Taken: its commit is under way and its outcome must reach this caller.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** As the writer: one transaction of the writes waiting now, then the role to the next caller. */
    private void lead() {
        try {
            List<Write<?>> batch = new ArrayList<>();
            lock.lock();
            try {
                for (Write<?> next = waiting.pollFirst(); next != null; next = waiting.pollFirst()) {
                    next.taken = true;
                    batch.add(next);
                    if (batch.size() == MAX_BATCH) {
                        break;
                    }
                }
            } finally {
                lock.unlock();
            }
            writer = Thread.currentThread();
            try {
                runAll(batch);
            } finally {
                writer = null;
            }
        } finally {
            lock.lock();
            try {
                Write<?> next = waiting.peekFirst();
                if (next == null) {
                    writing = false;
                } else {
                    next.promoted = true;
                    next.turn.countDown();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Every write of the batch ends with an outcome, whatever happens here: its caller waits for it. */
    private void runAll(List<Write<?>> batch) {
        try {
            List<Write<?>> remaining = batch;
            while (!remaining.isEmpty()) {
                remaining = transaction(remaining);
            }
        } catch (Throwable unexpected) {
            for (Write<?> write : batch) {
                write.failIfOpen(unexpected);
            }
            throw unexpected;
        }
    }

    /**
     * One transaction over {@code writes}. Returns the writes to run again: those that had
     * succeeded in a transaction that a later write's failure took down with it (SQLite rolls a
     * whole transaction back on some errors, such as a full disk). The write that failed is not
     * among them, so the list shrinks each time.
     */
    private List<Write<?>> transaction(List<Write<?>> writes) {
        Connection connection;
        try {
            connection = pool.borrow();
        } catch (StoreException | RuntimeException e) {
            writes.forEach(write -> write.fail(e));
            return List.of();
        }
        try {
            database.begin(connection, true);
        } catch (SQLException | RuntimeException e) {
            pool.discard(connection);
            writes.forEach(write -> write.fail(e));
            return List.of();
        }
        List<Write<?>> staged = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            Write<?> write = writes.get(i);
            if (!inSavepoint(connection, write)) {
                rollbackQuietly(connection, write.failure);
                pool.discard(connection);
                List<Write<?>> again = new ArrayList<>(staged);
                again.addAll(writes.subList(i + 1, writes.size()));
                return again;
            }
            if (!write.isFailed()) {
                staged.add(write);
            }
        }
        try {
            database.commit(connection);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            pool.discard(connection);
            staged.forEach(write -> write.fail(e));
            return List.of();
        }
        pool.giveBack(connection);
        commits.increment();
        staged.forEach(Write::commit);
        return List.of();
    }

    /**
     * Runs one write between SAVEPOINT and RELEASE. On failure it is rolled back to its savepoint
     * and fails; false when even that failed, so the transaction is lost.
     */
    private static boolean inSavepoint(Connection connection, Write<?> write) {
        try {
            execute(connection, "SAVEPOINT strata_write");
        } catch (SQLException | RuntimeException e) {
            write.fail(e);
            return false;
        }
        try {
            write.stage(connection);
        } catch (Throwable e) {
            write.fail(e);
            try {
                execute(connection, "ROLLBACK TO strata_write");
                execute(connection, "RELEASE strata_write");
                return true;
            } catch (SQLException | RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
                return false;
            }
        }
        try {
            execute(connection, "RELEASE strata_write");
            return true;
        } catch (SQLException | RuntimeException e) {
            write.fail(e);
            return false;
        }
    }

    private void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            database.rollback(connection);
        } catch (SQLException | RuntimeException rollbackFailure) {
            // The transaction is gone already (SQLite rolled it back itself): nothing to undo.
            if (cause != null) {
                cause.addSuppressed(rollbackFailure);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Transactions this committer has committed. */
    long commits() {
        return commits.sum();
    }

    /** Writes waiting for a transaction now, not yet taken into one. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private StoreException interrupted() {
        return new StoreException(StoreReasons.STORE_INTERRUPTED,
                "interrupted while waiting to write to the build store at " + where, "");
    }

    /** One caller's write: its work, then what became of it. */
    private static final class Write<T> {
        private final Transactions.Work<T> work;
        /** Counted down once: the write has its outcome, or its caller is the writer now. */
        private final CountDownLatch turn = new CountDownLatch(1);
        /** Guarded by the committer's lock. */
        private boolean taken;
        /** Guarded by the committer's lock; read by its own caller after {@link #turn}. */
        private boolean promoted;
        // Written by the writer before turn.countDown(), read by the caller after it: the latch orders them.
        private T result;
        private Throwable failure;
        private volatile boolean done;

        Write(Transactions.Work<T> work) {
            this.work = work;
        }

        void stage(Connection connection) throws SQLException, StoreException {
            result = work.run(connection);
        }

        boolean isFailed() {
            return failure != null;
        }

        boolean isDone() {
            return done;
        }

        void commit() {
            done = true;
            turn.countDown();
        }

        void fail(Throwable why) {
            failure = why;
            result = null;
            done = true;
            turn.countDown();
        }

        void failIfOpen(Throwable why) {
            if (!done) {
                fail(why);
            }
        }

        T outcome() throws SQLException, StoreException {
            if (failure == null) {
                return result;
            }
            switch (failure) {
                case SQLException e -> throw e;
                case StoreException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException("a store write failed", failure);
            }
        }
    }
}
