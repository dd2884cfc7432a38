package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckoutProgressTest {
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> lines = new ArrayList<>();
    private final CheckoutProgress progress = new CheckoutProgress(lines::add, nanos::get, Duration.ofSeconds(1));

    @Test
    void aLinePerIntervalWithFilesBytesAndRateThenASummary() {
        progress.start(100, 100L * 1024 * 1024);
        for (int i = 0; i < 100; i++) {
            nanos.addAndGet(25_000_000); // 25 ms per 1 MB file: 40 MB/s, 2.5 s in all
            progress.wrote(1024 * 1024);
        }
        progress.done();

        assertThat(lines).containsExactly(
                "Writing files: 40% (40/100), 40.0 of 100.0 MB, 40.0 MB/s",
                "Writing files: 80% (80/100), 80.0 of 100.0 MB, 40.0 MB/s",
                "Writing files: done (100 files, 100.0 MB in 2.5 s, 40.0 MB/s)");
    }

    @Test
    void aQuickCheckoutLogsOnlyItsSummary() {
        progress.start(3, 30);
        progress.wrote(10);
        progress.wrote(10);
        progress.wrote(10);
        progress.done();

        assertThat(lines).hasSize(1).allMatch(line -> line.startsWith("Writing files: done (3 files,"));
    }

    @Test
    void eachLinesFiguresGoToTheTransferListenerToo() {
        List<Transfer> transfers = new ArrayList<>();
        progress.reportingTo(transfers::add);
        progress.start(100, 100L * 1024 * 1024);
        for (int i = 0; i < 100; i++) {
            nanos.addAndGet(25_000_000);
            progress.wrote(1024 * 1024);
        }
        progress.done();

        assertThat(transfers).hasSize(lines.size()).extracting(t -> t.activity() + " " + t.done() + "/" + t.total() + " "
                + t.bytes() / (1024 * 1024) + " MB " + Math.round(t.bytesPerSecond() / (1024 * 1024)) + " MB/s")
                .containsExactly("checkout 40/100 40 MB 40 MB/s", "checkout 80/100 80 MB 40 MB/s", "checkout 100/100 100 MB 40 MB/s");
    }
}
