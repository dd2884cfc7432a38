package io.strata.local.store;

import io.strata.core.config.StrataSettings;
import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.store.BuildStore;
import io.strata.testkit.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long appending 10,000 log lines takes, by batch size, on the embedded store and on
 * PostgreSQL. A measurement for docs/store.md, not a test: run it by hand with the test class path,
 * {@code java -cp ... io.strata.local.store.LogAppendMeasurement sqlite|postgres}.
 */
public final class LogAppendMeasurement {
    private static final int LINES = 10_000;
    private static final List<Integer> BATCH_SIZES = List.of(1, 10, 100, 1_000);
    private static final String TEXT = "STEP 3/7: RUN dnf -y install httpd && dnf clean all  # a typical line, 60-ish chars";

    private LogAppendMeasurement() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("postgres")) {
            try (PostgresFixture postgres = PostgresFixture.start()) {
                measure("PostgreSQL 15", postgres.jdbcUrl(), Optional.of(postgres.user()),
                        Optional.of(Secret.of(postgres.password())));
            }
        } else {
            Path home = Files.createTempDirectory("strata-store-measurement");
            try {
                measure("SQLite embedded", StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty());
            } finally {
                try (var files = Files.walk(home)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    private static void measure(String name, String url, Optional<String> user, Optional<Secret> password)
            throws Exception {
        try (BuildStore store = BuildStores.open(url, user, password, Clock.systemUTC())) {
            appendAll(store, 100); // warm up the JIT and the connection pool
            for (int batchSize : BATCH_SIZES) {
                long started = System.nanoTime();
                appendAll(store, batchSize);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("%s: %,d lines in batches of %,d: %,d ms (%,.0f lines/s)%n", name, LINES, batchSize,
                        took.toMillis(), LINES / (took.toNanos() / 1e9));
            }
        }
    }

    private static void appendAll(BuildStore store, int batchSize) throws Exception {
        BuildId id = store.create(BuildStoreContract.request("measure"), Map.of(), "{}").id();
        List<LogLine> batch = new ArrayList<>(batchSize);
        for (long sequence = 1; sequence <= LINES; sequence++) {
            batch.add(new LogLine(sequence, Clock.systemUTC().instant(), "build", TEXT));
            if (batch.size() == batchSize) {
                store.appendLog(id, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.appendLog(id, batch);
        }
    }
}
