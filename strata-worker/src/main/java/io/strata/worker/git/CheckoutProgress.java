package io.strata.worker.git;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress lines of writing a checkout's files, from several threads: files and bytes written and
 * the rate, at most one line per interval (and none at all for a checkout that ends within the
 * first interval but its summary), so a 100,000-file checkout logs a few lines, not thousands.
 *
 * <p>{@code Writing files: 41% (8200/20000), 123.4 of 300.0 MB, 61.7 MB/s}
 */
final class CheckoutProgress {
    private static final double MB = 1024.0 * 1024.0;

    private final Consumer<String> lines;
    private volatile Consumer<Transfer> transfers = transfer -> { };
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nextLineAt = new AtomicLong();
    private volatile long startedAt;
    private volatile long totalFiles;
    private volatile long totalBytes;

    CheckoutProgress(Consumer<String> lines, LongSupplier nanoClock, Duration interval) {
        this.lines = lines;
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
    }

    static CheckoutProgress everySecond(Consumer<String> lines) {
        return new CheckoutProgress(lines, System::nanoTime, Duration.ofSeconds(1));
    }

    /** Who also gets each progress line's figures. */
    CheckoutProgress reportingTo(Consumer<Transfer> listener) {
        this.transfers = listener;
        return this;
    }

    /** The tree was listed (and its directories made) in {@code nanos}; writing starts now. */
    void listed(long fileCount, long byteCount, long nanos) {
        lines.accept(String.format(Locale.ROOT, "Listed %d files, %.1f MB in %.1f s", fileCount, byteCount / MB, nanos / 1e9));
        start(fileCount, byteCount);
    }

    /** The work tree was made of hard links to the repository's checked-out tree. */
    void linked(long fileCount, long nanos) {
        lines.accept(String.format(Locale.ROOT, "Linked %d files from the cache's checked-out tree in %.1f s", fileCount, nanos / 1e9));
    }

    void start(long fileCount, long byteCount) {
        totalFiles = fileCount;
        totalBytes = byteCount;
        startedAt = nanoClock.getAsLong();
        nextLineAt.set(startedAt + intervalNanos);
    }

    /** One file written (any thread). */
    void wrote(long size) {
        long doneFiles = files.incrementAndGet();
        long doneBytes = bytes.addAndGet(size);
        long now = nanoClock.getAsLong();
        long due = nextLineAt.get();
        // Only the thread that moves the deadline prints, so lines never come faster than the interval.
        if (now >= due && doneFiles < totalFiles && nextLineAt.compareAndSet(due, now + intervalNanos)) {
            lines.accept(String.format(Locale.ROOT, "Writing files: %d%% (%d/%d), %.1f of %.1f MB, %.1f MB/s",
                    100 * doneFiles / Math.max(1, totalFiles), doneFiles, totalFiles, doneBytes / MB, totalBytes / MB,
                    rate(doneBytes, now)));
            transfers.accept(new Transfer("checkout", doneFiles, totalFiles, doneBytes, rate(doneBytes, now) * MB));
        }
    }

    void done() {
        long now = nanoClock.getAsLong();
        lines.accept(String.format(Locale.ROOT, "Writing files: done (%d files, %.1f MB in %.1f s, %.1f MB/s)",
                files.get(), bytes.get() / MB, (now - startedAt) / 1e9, rate(bytes.get(), now)));
        transfers.accept(new Transfer("checkout", files.get(), totalFiles, bytes.get(), rate(bytes.get(), now) * MB));
    }

    private double rate(long doneBytes, long now) {
        double seconds = Math.max(1e-3, (now - startedAt) / 1e9);
        return doneBytes / MB / seconds;
    }
}
