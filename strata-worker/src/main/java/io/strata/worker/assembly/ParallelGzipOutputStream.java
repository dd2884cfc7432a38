package io.strata.worker.assembly;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on every core, as pigz does it: the input is cut into blocks that are deflated at once on a
 * pool, each primed with the last 32 KiB of the input before it (so the ratio stays that of
 * one-thread gzip) and ended with a sync flush (so the raw deflate outputs concatenate into one
 * valid deflate stream), the last block with the final bit. Each pool task also takes its block's
 * CRC-32; the writer joins them in order ({@link Crc32Combine}), so no serial pass over the input is
 * left on the writing thread. One gzip header and one trailer around the blocks: any gunzip reads it
 * as a single member, and the same input always gives the same bytes (no time or name in the header,
 * block boundaries fixed by position). Blocks are written to the sink in order by a thread of the
 * stream's own (the drainer), which also hashes the input block by block when given a digest (the
 * layer's diff id), so the thread that writes into the stream does nothing per byte but copy it into
 * a block; at most a few blocks per thread are in flight, and input buffers are reused, so memory
 * stays bounded. {@link #abort()} ends the drainer when the writer gives up before {@link #finish()}. Runs written with
 * {@link #writeIncompressible} are stored, not deflated: the block's compressor switches to level 0
 * for them and back (zlib's deflateParams, which ends the deflate block there), always with no input
 * pending, so each run is encoded at the level meant for it and every block starts and ends at the
 * stream's level.
 */
final class ParallelGzipOutputStream extends OutputStream implements Incompressible {
    static final int BLOCK_SIZE = 128 * 1024;
    private static final int DICTIONARY = 32 * 1024;
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
    private static final byte[] NO_INPUT = new byte[0];
    private static final int[] NO_RUNS = new int[0];
    /** Ends the drainer's queue. */
    private static final Future<Compressed> END = CompletableFuture.completedFuture(null);

    private final OutputStream sink;
    private final ExecutorService pool;
    private final int level;
    private final int blockSize;
    private final int maxInFlight;
    /** x^(8 × blockSize) mod the CRC polynomial: shifts a CRC over one full block. */
    private final int fullBlockShift;
    /** Blocks dispatched and not yet written, in order; the writer puts, the drainer takes. */
    private final BlockingQueue<Future<Compressed>> inFlight;
    /** Input buffers whose blocks are written: the drainer returns them, the writer reuses them. */
    private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
    /** Hashes the input in order, on the drainer; null when no one asked. */
    private final MessageDigest inputHash;
    private final Thread drainer;
    /** The drainer's failure: the writer throws it at its next block. */
    private volatile Throwable drainFailure;
    private byte[] block;
    private int filled;
    /** Runs of the current block to store, as start, end pairs in order; adjacent runs are merged. */
    private int[] runs = new int[8];
    private int runCount;
    private final byte[] tail = new byte[DICTIONARY];
    private int tailLength;
    /** Written by the drainer only; read by the writer after it joined the drainer. */
    private int crc;
    private long total;
    /** Written by the drainer only (and the writer before it starts and after it ended). */
    private long written;
    private boolean finished;

    ParallelGzipOutputStream(OutputStream sink, ExecutorService pool, int threads, int level) throws IOException {
        this(sink, pool, threads, level, BLOCK_SIZE);
    }

    ParallelGzipOutputStream(OutputStream sink, ExecutorService pool, int threads, int level, int blockSize)
            throws IOException {
        this(sink, pool, threads, level, blockSize, null);
    }

    /** With {@code inputHash}, the input is hashed into it as blocks are written (read it after {@link #finish()}). */
    ParallelGzipOutputStream(OutputStream sink, ExecutorService pool, int threads, int level, int blockSize,
            MessageDigest inputHash) throws IOException {
        if (blockSize < DICTIONARY) {
            throw new IllegalArgumentException("a block must hold at least the 32 KiB window, not " + blockSize + " bytes");
        }
        this.sink = sink;
        this.pool = pool;
        this.level = level;
        this.blockSize = blockSize;
        this.maxInFlight = Math.max(2, threads * 3);
        this.inFlight = new ArrayBlockingQueue<>(maxInFlight + 1);
        this.inputHash = inputHash;
        this.fullBlockShift = Crc32Combine.shiftFor(blockSize);
        this.block = new byte[blockSize];
        // magic, deflate, no flags, no time (reproducible), no extra flags, OS unknown
        sink.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
        written = 10;
        // A platform thread: it does steady work per byte, and the OS schedules it beside the pool's.
        this.drainer = Thread.ofPlatform().daemon().name("strata-gzip-drain").start(this::drain);
    }

    /** One deflated block, with what the trailer needs from its input. */
    private record Compressed(byte[] input, byte[] output, int outputLength, int crc, int inputLength) {}

    /** A deflate output being filled; grows when full. */
    private static final class Output {
        byte[] bytes;
        int length;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        /** One deflate call into the free space; true when it filled it (there may be more to come). */
        boolean deflate(Deflater deflater, int flush) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            int free = bytes.length - length;
            int n = deflater.deflate(bytes, length, free, flush);
            length += n;
            return n == free;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        write(bytes, offset, length, false);
    }

    @Override
    public void writeIncompressible(byte[] bytes, int offset, int length) throws IOException {
        write(bytes, offset, length, true);
    }

    private void write(byte[] bytes, int offset, int length, boolean store) throws IOException {
        while (length > 0) {
            int take = Math.min(length, blockSize - filled);
            System.arraycopy(bytes, offset, block, filled, take);
            if (store) {
                markStored(filled, filled + take);
            }
            filled += take;
            offset += take;
            length -= take;
            if (filled == blockSize) {
                dispatch(false);
            }
        }
    }

    private void markStored(int start, int end) {
        if (runCount > 0 && runs[runCount * 2 - 1] == start) {
            runs[runCount * 2 - 1] = end;
            return;
        }
        if (runCount * 2 == runs.length) {
            runs = Arrays.copyOf(runs, runs.length * 2);
        }
        runs[runCount * 2] = start;
        runs[runCount * 2 + 1] = end;
        runCount++;
    }

    /** Deflates what is left, writes the trailer; the sink stays open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        dispatch(true);
        enqueue(END);
        try {
            drainer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new InterruptedIOException("cancelled while compressing a layer");
        }
        failIfDrainFailed();
        written += 8;
        sink.write(new byte[] {
            (byte) crc, (byte) (crc >> 8), (byte) (crc >> 16), (byte) (crc >> 24),
            (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)});
        sink.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    /** Gives up: the drainer stops and blocks in flight are cancelled. Nothing after a finish. */
    void abort() {
        if (drainer.isAlive()) {
            drainer.interrupt();
        }
    }

    /** Bytes of input taken so far. */
    long inputBytes() {
        return total + filled;
    }

    /** Compressed bytes written to the sink so far, header (and, once finished, trailer) included. */
    long outputBytes() {
        return written;
    }

    private void dispatch(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] primer = tailLength == 0 ? null : Arrays.copyOf(tail, tailLength);
        int[] stored = runCount == 0 ? NO_RUNS : Arrays.copyOf(runs, runCount * 2);
        keepTail(input, length);
        total += length;
        failIfDrainFailed();
        enqueue(pool.submit(() -> deflate(input, length, primer, last, stored)));
        byte[] reused = spare.poll();
        block = reused == null ? new byte[blockSize] : reused;
        filled = 0;
        runCount = 0;
    }

    /** The last 32 KiB of input so far, the next block's dictionary. */
    private void keepTail(byte[] input, int length) {
        if (length >= DICTIONARY) {
            System.arraycopy(input, length - DICTIONARY, tail, 0, DICTIONARY);
            tailLength = DICTIONARY;
        } else if (length > 0) {
            int keep = Math.min(DICTIONARY - length, tailLength);
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            System.arraycopy(input, 0, tail, keep, length);
            tailLength = keep + length;
        }
    }

    /** Waits for room in flight; the drainer makes it, or has failed (then it keeps taking, so this returns). */
    private void enqueue(Future<Compressed> future) throws IOException {
        try {
            inFlight.put(future);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            abort();
            throw new InterruptedIOException("cancelled while compressing a layer");
        }
    }

    private void failIfDrainFailed() throws IOException {
        Throwable failure = drainFailure;
        if (failure != null) {
            throw failure instanceof IOException io ? io
                    : new IOException("compressing a layer failed: " + failure, failure);
        }
    }

    /**
     * The drainer: takes blocks in order until {@link #END}, hashes each one's input, writes its
     * output, joins its CRC and hands its input buffer back. After a failure it goes on taking (and
     * cancelling) so the writer never waits for room for ever; interrupted ({@link #abort()}) it stops.
     */
    private void drain() {
        try {
            while (true) {
                Future<Compressed> next = inFlight.take();
                if (next == END) {
                    return;
                }
                if (drainFailure != null) {
                    next.cancel(true);
                    continue;
                }
                try {
                    write(next.get());
                } catch (ExecutionException e) {
                    drainFailure = e.getCause();
                } catch (IOException | RuntimeException e) {
                    drainFailure = e;
                }
            }
        } catch (InterruptedException e) {
            drainFailure = new InterruptedIOException("cancelled while compressing a layer");
            inFlight.forEach(future -> future.cancel(true));
        }
    }

    private void write(Compressed done) throws IOException {
        if (inputHash != null) {
            inputHash.update(done.input(), 0, done.inputLength());
        }
        sink.write(done.output(), 0, done.outputLength());
        written += done.outputLength();
        int shift = done.inputLength() == blockSize ? fullBlockShift : Crc32Combine.shiftFor(done.inputLength());
        crc = Crc32Combine.combine(crc, done.crc(), shift);
        if (spare.size() < maxInFlight) {
            spare.offer(done.input());
        }
    }

    private Compressed deflate(byte[] input, int length, byte[] primer, boolean last, int[] stored) {
        CRC32 checksum = new CRC32();
        checksum.update(input, 0, length);
        Deflater deflater = deflater();
        deflater.reset();
        if (primer != null) {
            deflater.setDictionary(primer);
        }
        // Stored blocks bound deflate's output: 5 bytes per 16 KiB or so, and the flush marker.
        Output output = new Output(length + (length >> 10) + 64);
        if (stored.length == 0) {
            deflater.setInput(input, 0, length);
        } else {
            int at = 0;
            for (int i = 0; i < stored.length; i += 2) {
                feed(deflater, input, at, stored[i] - at, output);
                switchLevel(deflater, 0, output);
                feed(deflater, input, stored[i], stored[i + 1] - stored[i], output);
                switchLevel(deflater, level, output);
                at = stored[i + 1];
            }
            feed(deflater, input, at, length - at, output);
            deflater.setInput(NO_INPUT, 0, 0);
        }
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                output.deflate(deflater, Deflater.NO_FLUSH);
            }
        } else {
            while (output.deflate(deflater, Deflater.SYNC_FLUSH)) {
                // filled the space: the flush may not be complete yet
            }
        }
        return new Compressed(input, output.bytes, output.length, (int) checksum.getValue(), length);
    }

    /** Hands a run to deflate without flushing; returns once deflate has taken all of it. */
    private static void feed(Deflater deflater, byte[] input, int offset, int length, Output output) {
        if (length == 0) {
            return;
        }
        deflater.setInput(input, offset, length);
        while (!deflater.needsInput()) {
            output.deflate(deflater, Deflater.NO_FLUSH);
        }
    }

    /**
     * Changes the level with no input pending: zlib's deflateParams then first encodes what it holds
     * at the old level (ending the deflate block), so the next run is all at the new one.
     */
    private static void switchLevel(Deflater deflater, int newLevel, Output output) {
        deflater.setLevel(newLevel);
        deflater.setInput(NO_INPUT, 0, 0);
        while (output.deflate(deflater, Deflater.NO_FLUSH)) {
            // filled the space: deflateParams may not have been applied yet
        }
    }

    /** One raw-deflate compressor per pool thread and level, reset for each block. */
    private Deflater deflater() {
        Deflater[] perLevel = DEFLATERS.get();
        Deflater deflater = perLevel[level];
        if (deflater == null) {
            deflater = new Deflater(level, true);
            perLevel[level] = deflater;
        }
        return deflater;
    }
}
