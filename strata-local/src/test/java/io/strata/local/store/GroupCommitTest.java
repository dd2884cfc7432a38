package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's group commit on a real SQLite file (WAL, synchronous=FULL): concurrent
 * writes share transactions and all commit, a failing write fails alone, a write is visible to
 * another connection when its call returns. The tests never depend on how threads happen to be
 * scheduled: the writes that must share a transaction are queued behind a first write held open
 * until the committer reports them all waiting.
 */
class GroupCommitTest {
    @TempDir
    Path home;

    private StoreLocation location;
    private ConnectionPool pool;
    private GroupCommit committer;

    @BeforeEach
    void openDatabase() throws Exception {
        location = StoreLocation.of("jdbc:sqlite:" + home.resolve("group.db"), Optional.empty(), Optional.empty());
        try (Connection connection = location.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE rows (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
        }
        pool = new ConnectionPool(location, Database.SQLITE.poolSize());
        committer = new GroupCommit(pool, Database.SQLITE, location.toString());
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void manyThreadsWritingAtOnceAllCommitAndEachSeesItsOwnResult() throws Exception {
        int threads = 16;
        int writesEach = 25;
        Map<String, Integer> answered = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        String key = thread + "-" + i;
                        int value = thread * 1000 + i;
                        int inserted = committer.write(connection -> Sql.update(connection,
                                "INSERT INTO rows (k, v) VALUES (?, ?)", key, value));
                        // Returned means committed: another connection (another process) sees it now.
                        assertThat(valueSeenElsewhere(key)).contains(value);
                        answered.put(key, inserted);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        assertThat(answered).hasSize(threads * writesEach).allSatisfy((key, inserted) -> assertThat(inserted).isEqualTo(1));
        assertThat(count()).isEqualTo(threads * writesEach);
        assertThat(integrity()).isEqualTo("ok");
    }

    @Test
    void writesWaitingTogetherShareOneTransaction() throws Exception {
        int others = 50;
        try (Held held = holdTheWriter(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < others; i++) {
                String key = "k" + i;
                done.add(threads.submit(() -> committer.write(connection ->
                        Sql.update(connection, "INSERT INTO rows (k, v) VALUES (?, 1)", key))));
            }
            awaitWaiting(others);
            long before = committer.commits();
            held.release();
            for (Future<Integer> future : done) {
                assertThat(future.get()).isEqualTo(1);
            }
            // The held write's transaction, then one for all the others.
            assertThat(committer.commits() - before).isEqualTo(2);
        }
        assertThat(count()).isEqualTo(others + 1);
    }

    @Test
    void aFailingWriteFailsAloneWithItsOwnErrorAndTheOthersCommit() throws Exception {
        try (Connection connection = location.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO rows (k, v) VALUES ('taken', 0)");
        }
        try (Held held = holdTheWriter(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> before = threads.submit(() -> insertTwo("before"));
            awaitWaiting(1);
            // A refusal after it wrote something: its own row must be rolled back, not committed.
            Future<Integer> refused = threads.submit(() -> committer.write(connection -> {
                Sql.update(connection, "INSERT INTO rows (k, v) VALUES ('refused', 1)");
                throw new StoreException(StoreReasons.ILLEGAL_TRANSITION, "refused on purpose", "none");
            }));
            awaitWaiting(2);
            Future<Integer> duplicate = threads.submit(() -> committer.write(connection -> {
                Sql.update(connection, "INSERT INTO rows (k, v) VALUES ('duplicate-first-row', 1)");
                return Sql.update(connection, "INSERT INTO rows (k, v) VALUES ('taken', 1)");
            }));
            awaitWaiting(3);
            Future<Integer> crashed = threads.submit(() -> committer.<Integer>write(connection -> {
                Sql.update(connection, "INSERT INTO rows (k, v) VALUES ('crashed', 1)");
                throw new IllegalStateException("a bug in a write");
            }));
            awaitWaiting(4);
            Future<Integer> after = threads.submit(() -> insertTwo("after"));
            awaitWaiting(5);
            long commitsBefore = committer.commits();
            held.release();

            assertThat(before.get()).isEqualTo(2);
            assertThat(after.get()).isEqualTo(2);
            assertThatThrownBy(refused::get).cause().isInstanceOf(StoreException.class).hasMessage("refused on purpose");
            assertThatThrownBy(duplicate::get).cause().isInstanceOf(SQLException.class).hasMessageContaining("UNIQUE");
            assertThatThrownBy(crashed::get).cause().isInstanceOf(IllegalStateException.class).hasMessage("a bug in a write");
            assertThat(committer.commits() - commitsBefore).isEqualTo(2);
        }
        assertThat(keys()).containsExactlyInAnyOrder("taken", "held", "before-1", "before-2", "after-1", "after-2");
        assertThat(valueSeenElsewhere("taken")).contains(0);
    }

    @Test
    void aWriteThatLosesTheWholeTransactionFailsAloneAndTheOthersAreRunAgainAndCommit() throws Exception {
        try (Held held = holdTheWriter(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> before = threads.submit(() -> insertTwo("before"));
            awaitWaiting(1);
            // As SQLite does on some errors (a full disk, an I/O error): the transaction is gone, savepoints too.
            Future<Integer> wrecker = threads.submit(() -> committer.<Integer>write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                }
                throw new SQLException("the disk is full (simulated)");
            }));
            awaitWaiting(2);
            Future<Integer> after = threads.submit(() -> insertTwo("after"));
            awaitWaiting(3);
            held.release();
            assertThat(before.get()).isEqualTo(2);
            assertThat(after.get()).isEqualTo(2);
            assertThatThrownBy(wrecker::get).cause().isInstanceOf(SQLException.class).hasMessage("the disk is full (simulated)");
        }
        assertThat(keys()).containsExactlyInAnyOrder("held", "before-1", "before-2", "after-1", "after-2");
        // The committer goes on working on a fresh connection.
        assertThat(insertTwo("later")).isEqualTo(2);
        assertThat(integrity()).isEqualTo("ok");
    }

    @Test
    void aCallerInterruptedWhileItsWriteWaitsIsRefusedAndItsWriteNeverRuns() throws Exception {
        try (Held held = holdTheWriter(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch started = new CountDownLatch(1);
            Thread[] caller = new Thread[1];
            Future<Integer> interrupted = threads.submit(() -> {
                caller[0] = Thread.currentThread();
                started.countDown();
                return insertTwo("interrupted");
            });
            started.await();
            awaitWaiting(1);
            caller[0].interrupt();
            assertThatThrownBy(interrupted::get).cause().isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreReasons.STORE_INTERRUPTED));
            assertThat(committer.waiting()).isZero();
            held.release();
        }
        assertThat(keys()).containsExactly("held");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> insertTwo("already-interrupted")).isInstanceOf(StoreException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(insertTwo("after")).isEqualTo(2);
    }

    @Test
    void aWriteFromInsideAnotherWriteIsRefusedInsteadOfWaitingForItself() throws Exception {
        assertThatThrownBy(() -> committer.write(connection -> {
            Sql.update(connection, "INSERT INTO rows (k, v) VALUES ('outer', 1)");
            return insertTwo("inner");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside another write");
        assertThat(keys()).isEmpty();
        assertThat(insertTwo("after")).isEqualTo(2);
    }

    /** A write of two rows, "prefix-1" and "prefix-2", returning how many it inserted. */
    private int insertTwo(String prefix) throws SQLException, StoreException {
        return committer.write(connection -> Sql.update(connection, "INSERT INTO rows (k, v) VALUES (?, 1)", prefix + "-1")
                + Sql.update(connection, "INSERT INTO rows (k, v) VALUES (?, 2)", prefix + "-2"));
    }

    /** The writer's role taken by a write that stays open (inside its transaction) until released. */
    private Held holdTheWriter() throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                committer.write(connection -> {
                    Sql.update(connection, "INSERT INTO rows (k, v) VALUES ('held', 1)");
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
            } catch (SQLException | StoreException e) {
                throw new IllegalStateException(e);
            }
        });
        inside.await();
        return new Held(release, writer);
    }

    private record Held(CountDownLatch latch, Thread writer) implements AutoCloseable {
        void release() {
            latch.countDown();
        }

        @Override
        public void close() throws InterruptedException {
            latch.countDown();
            writer.join();
        }
    }

    /** Waits (no time limit of its own: the test's timeout is the build's) until so many writes queue. */
    private void awaitWaiting(int writes) throws InterruptedException {
        while (committer.waiting() < writes) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private Optional<Integer> valueSeenElsewhere(String key) throws SQLException {
        try (Connection connection = location.connect();
                var statement = connection.prepareStatement("SELECT v FROM rows WHERE k = ?")) {
            statement.setString(1, key);
            try (var row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getInt(1)) : Optional.empty();
            }
        }
    }

    private int count() throws SQLException {
        return keys().size();
    }

    private Set<String> keys() throws SQLException {
        try (Connection connection = location.connect(); Statement statement = connection.createStatement();
                var row = statement.executeQuery("SELECT k FROM rows")) {
            Set<String> keys = new HashSet<>();
            while (row.next()) {
                keys.add(row.getString(1));
            }
            return keys;
        }
    }

    private String integrity() throws SQLException {
        try (Connection connection = location.connect(); Statement statement = connection.createStatement();
                var row = statement.executeQuery("PRAGMA integrity_check")) {
            row.next();
            return row.getString(1);
        }
    }
}
