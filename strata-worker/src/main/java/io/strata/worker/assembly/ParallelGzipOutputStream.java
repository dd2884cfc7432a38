package io.strata.worker.assembly;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on every core: the input is cut into blocks that are deflated at once on a pool, each primed
 * with the last 32 KiB of the block before it (so the ratio stays close to one-thread gzip) and
 * ended with a sync flush (so the raw deflate outputs concatenate into one valid deflate stream),
 * the last block with the final bit. One gzip header and one trailer (CRC-32 and length of all the
 * input) around them: any gunzip reads it as a single member. Blocks are written to the sink in
 * order; at most a few per thread are in flight, so memory stays bounded.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK_SIZE = 128 * 1024;
    private static final int DICTIONARY = 32 * 1024;
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);

    private final OutputStream sink;
    private final ExecutorService pool;
    private final int level;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private byte[] dictionary;
    private long total;
    private boolean finished;

    ParallelGzipOutputStream(OutputStream sink, ExecutorService pool, int threads, int level) throws IOException {
        this.sink = sink;
        this.pool = pool;
        this.level = level;
        this.maxInFlight = Math.max(2, threads * 3);
        // magic, deflate, no flags, no time (reproducible), no extra flags, OS unknown
        sink.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        crc.update(bytes, offset, length);
        total += length;
        while (length > 0) {
            int take = Math.min(length, BLOCK_SIZE - filled);
            System.arraycopy(bytes, offset, block, filled, take);
            filled += take;
            offset += take;
            length -= take;
            if (filled == BLOCK_SIZE) {
                dispatch(false);
            }
        }
    }

    /** Deflates what is left, writes the trailer; the sink stays open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        dispatch(true);
        while (!inFlight.isEmpty()) {
            drainOne();
        }
        long crcValue = crc.getValue();
        sink.write(new byte[] {
            (byte) crcValue, (byte) (crcValue >> 8), (byte) (crcValue >> 16), (byte) (crcValue >> 24),
            (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)});
        sink.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    /** Bytes of input taken so far. */
    long inputBytes() {
        return total;
    }

    private void dispatch(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] primer = dictionary;
        if (length >= DICTIONARY) {
            dictionary = Arrays.copyOfRange(input, length - DICTIONARY, length);
        } else if (length > 0) {
            dictionary = primer == null ? Arrays.copyOf(input, length) : joinedTail(primer, input, length);
        }
        block = new byte[BLOCK_SIZE];
        filled = 0;
        while (inFlight.size() >= maxInFlight) {
            drainOne();
        }
        inFlight.add(pool.submit(() -> deflate(input, length, primer, last)));
    }

    private static byte[] joinedTail(byte[] primer, byte[] input, int length) {
        byte[] joined = new byte[Math.min(DICTIONARY, primer.length + length)];
        int fromPrimer = joined.length - length;
        System.arraycopy(primer, primer.length - fromPrimer, joined, 0, fromPrimer);
        System.arraycopy(input, 0, joined, fromPrimer, length);
        return joined;
    }

    private void drainOne() throws IOException {
        Future<byte[]> next = inFlight.removeFirst();
        try {
            sink.write(next.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight.forEach(future -> future.cancel(true));
            throw new InterruptedIOException("cancelled while compressing a layer");
        } catch (ExecutionException e) {
            inFlight.forEach(future -> future.cancel(true));
            throw new IOException("compressing a layer failed: " + e.getCause(), e.getCause());
        }
    }

    private byte[] deflate(byte[] input, int length, byte[] primer, boolean last) {
        Deflater deflater = deflater();
        deflater.reset();
        if (primer != null) {
            deflater.setDictionary(primer);
        }
        deflater.setInput(input, 0, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 64);
        byte[] buffer = new byte[64 * 1024];
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
                out.write(buffer, 0, n);
            }
        } else {
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
        }
        return out.toByteArray();
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
