package io.strata.worker.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pipe between the thread that produces a layer and the HTTP client that sends it.
 * Unlike {@link java.io.PipedInputStream} it does not tie either end to one thread (the HTTP client
 * reads from whichever of its threads is free) and either end can break it: a producer failure
 * reaches the reader as an {@link IOException}, a reader that gave up makes the producer's next
 * write fail instead of blocking for ever.
 */
final class ChunkPipe {
    private static final byte[] END = new byte[0];
    private static final int CHUNK = 256 * 1024;

    private final BlockingQueue<byte[]> chunks;
    private volatile Throwable broken;

    ChunkPipe(int chunksBuffered) {
        this.chunks = new ArrayBlockingQueue<>(chunksBuffered);
    }

    /** Breaks the pipe; both ends see {@code cause} from then on. */
    void breakWith(Throwable cause) {
        if (broken == null) {
            broken = cause;
        }
        chunks.clear();
        chunks.offer(END);
    }

    OutputStream sink() {
        return new OutputStream() {
            private byte[] chunk = new byte[CHUNK];
            private int filled;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                while (length > 0) {
                    int take = Math.min(length, CHUNK - filled);
                    System.arraycopy(bytes, offset, chunk, filled, take);
                    filled += take;
                    offset += take;
                    length -= take;
                    if (filled == CHUNK) {
                        flush();
                    }
                }
            }

            @Override
            public void flush() throws IOException {
                if (filled > 0) {
                    put(Arrays.copyOf(chunk, filled));
                    filled = 0;
                }
            }

            @Override
            public void close() throws IOException {
                flush();
                put(END);
            }
        };
    }

    private void put(byte[] chunk) throws IOException {
        try {
            while (!chunks.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                failIfBroken();
            }
            failIfBroken();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("cancelled while sending a layer");
        }
    }

    private void failIfBroken() throws IOException {
        Throwable cause = broken;
        if (cause != null) {
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
    }

    InputStream source() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                while (position == current.length) {
                    if (ended) {
                        return -1;
                    }
                    try {
                        current = chunks.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("cancelled while sending a layer");
                    }
                    position = 0;
                    failIfBroken();
                    if (current == END) {
                        ended = true;
                    }
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, into, offset, n);
                position += n;
                return n;
            }
        };
    }
}
