package io.strata.worker.assembly;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a layer's small files ahead of the tar writer, on virtual threads, so opening and reading
 * the next files (a disk wait when they are not cached, a few system calls each when they are)
 * overlaps writing and compressing the ones before instead of stalling the one thread that feeds
 * the compressors. Files are taken in the order given; at most {@link #MAX_FILES} files and
 * {@link #MAX_BYTES} bytes are held ahead. A file larger than {@link #SMALL} is not read ahead: the
 * writer streams it (it costs few system calls per byte, and memory stays bounded).
 */
final class ReadAhead implements AutoCloseable {
    static final long SMALL = 1 << 20;
    private static final int MAX_FILES = 256;
    private static final long MAX_BYTES = 16L << 20;

    private final List<LayerEntry.RegularFile> files;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    /** One per file submitted and not yet taken; empty for a file the writer streams itself. */
    private final ArrayDeque<Future<Optional<byte[]>>> ahead = new ArrayDeque<>();
    private int submitted;
    private int taken;
    private long bytesAhead;

    ReadAhead(List<LayerEntry.RegularFile> files) {
        this.files = List.copyOf(files);
        fill();
    }

    /**
     * The content of the next file in order, or empty when it is large and the caller should
     * stream it from its source.
     */
    Optional<byte[]> next() throws IOException {
        if (taken == files.size()) {
            throw new IllegalStateException("all " + files.size() + " files were taken");
        }
        LayerEntry.RegularFile file = files.get(taken++);
        Future<Optional<byte[]>> content = ahead.removeFirst();
        if (file.size() <= SMALL) {
            bytesAhead -= file.size();
        }
        fill();
        try {
            return content.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("cancelled while reading " + file.source());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("reading " + file.source() + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void fill() {
        while (submitted < files.size() && ahead.size() < MAX_FILES && bytesAhead < MAX_BYTES) {
            LayerEntry.RegularFile file = files.get(submitted++);
            if (file.size() > SMALL) {
                ahead.add(CompletableFuture.completedFuture(Optional.empty()));
            } else {
                bytesAhead += file.size();
                ahead.add(readers.submit(() -> Optional.of(Files.readAllBytes(file.source()))));
            }
        }
    }

    @Override
    public void close() {
        ahead.forEach(future -> future.cancel(true));
        readers.shutdownNow();
    }
}
