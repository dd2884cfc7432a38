package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.StrataSettings;
import io.strata.core.store.BuildStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many real processes on one embedded store, as several `strata` commands of one user are: all at
 * once on a fresh store, and writers killed with SIGKILL at random moments. What a process
 * acknowledged (printed after its commit) must be in the store afterwards, whole, and the
 * database must pass SQLite's own integrity check.
 */
class EmbeddedStoreProcessesIT {
    /** Kill-loop rounds; docs/store.md quotes the figure. */
    static final int KILL_ROUNDS = 25;

    @TempDir
    Path strataHome;

    @Test
    void eightProcessesAtOnceOnAFreshStoreAllCommitWithUniqueReleases() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        List<Writer> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            writers.add(Writer.start(url, "hello", false));
        }
        Map<BuildId, Integer> acknowledged = new ConcurrentHashMap<>();
        for (Writer writer : writers) {
            assertThat(writer.process.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.process.exitValue()).as(writer.stderr()).isZero();
            acknowledged.putAll(writer.acknowledged());
        }

        assertThat(acknowledged).hasSize(8);
        assertThat(acknowledged.values()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertEverythingAcknowledgedIsStored(url, acknowledged);
    }

    @Test
    void writersKilledAtRandomMomentsNeverLoseACommittedBuildNorCorruptTheStore() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        Random random = new Random(20261201L);
        Map<BuildId, Integer> acknowledged = new ConcurrentHashMap<>();
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<Writer> writers = List.of(Writer.start(url, "hello", true), Writer.start(url, "hello", true));
            // Every third round kills at any moment from start-up (opening, migrating) on; the others
            // once the first writer is writing, a few milliseconds into whatever it does next.
            if (round % 3 == 0) {
                Thread.sleep(random.nextInt(3_000));
            } else {
                writers.getFirst().awaitFirstAcknowledgement();
                Thread.sleep(random.nextInt(400));
            }
            for (Writer writer : writers) {
                writer.process.destroyForcibly(); // SIGKILL
                writer.process.waitFor();
                acknowledged.putAll(writer.acknowledged());
            }
        }

        assertThat(acknowledged).isNotEmpty();
        assertThat(acknowledged.values()).doesNotHaveDuplicates();
        assertEverythingAcknowledgedIsStored(url, acknowledged);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
            assertThat(check.next()).isTrue();
            assertThat(check.getString(1)).isEqualTo("ok");
        }
        System.out.printf("kill loop: %d rounds, %d builds acknowledged, all present%n", KILL_ROUNDS, acknowledged.size());
    }

    private static void assertEverythingAcknowledgedIsStored(String url, Map<BuildId, Integer> acknowledged)
            throws Exception {
        try (BuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            for (BuildId id : acknowledged.keySet()) {
                BuildRecord record = store.find(id).orElseThrow(() -> new AssertionError("acknowledged build " + id + " is gone"));
                assertThat(record.state()).isEqualTo(BuildState.COMPLETE);
                assertThat(store.logs(id, 0, 100)).hasSize(50);
            }
            // The next computed release is above every acknowledged one: no reservation was lost either.
            int highest = acknowledged.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            assertThat(store.reserveNextRelease("hello", "1.0")).isGreaterThan(highest);
        }
    }

    /** A {@link StoreWriterProcess} in its own JVM, with this test's class path; its stdout is read as it comes. */
    private record Writer(Process process, List<String> lines, StringBuilder errors, Thread reader) {

        static Writer start(String url, String component, boolean loop) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), StoreWriterProcess.class.getName(), url, component));
            if (loop) {
                command.add("loop");
            }
            Process process = new ProcessBuilder(command).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            StringBuilder errors = new StringBuilder();
            Thread.ofVirtual().start(() -> copy(process.getErrorStream(), errors));
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // killed: what was read so far is what it acknowledged
                }
            });
            return new Writer(process, lines, errors, reader);
        }

        private static void copy(InputStream in, StringBuilder into) {
            try {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (into) {
                    into.append(text);
                }
            } catch (IOException ignored) {
                // killed
            }
        }

        void awaitFirstAcknowledgement() throws InterruptedException {
            while (lines.isEmpty() && process.isAlive()) {
                Thread.sleep(10);
            }
        }

        /** Only complete lines count: a line cut by the kill was not acknowledged. */
        Map<BuildId, Integer> acknowledged() throws InterruptedException {
            reader.join();
            Map<BuildId, Integer> builds = new ConcurrentHashMap<>();
            synchronized (lines) {
                for (String line : lines) {
                    String[] parts = line.split(" ");
                    if (parts.length == 2 && BuildId.isValid(parts[0]) && parts[1].matches("\\d+")) {
                        builds.put(new BuildId(parts[0]), Integer.parseInt(parts[1]));
                    }
                }
            }
            return builds;
        }

        String stderr() {
            synchronized (errors) {
                return errors.toString();
            }
        }
    }
}
