package io.strata.cli.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What a command prints, written to its client's FIFOs by a thread of its own. The command's thread only
 * queues it: a Ctrl-C interrupts that thread (as the signal would in a process of its own), and an interrupted
 * thread's write to a channel closes the channel, which would lose the rest of the output.
 */
final class DaemonOutbox implements AutoCloseable {
    private record Chunk(WritableByteChannel to, byte[] bytes) {}

    private static final Chunk END = new Chunk(null, new byte[0]);

    private final LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>(); // unbounded: never blocks a command
    private final Thread writer;

    DaemonOutbox() {
        writer = Thread.ofVirtual().name("strata-daemon-output").start(() -> {
            // A channel nobody reads any more (its relay ended: `strata build | head -1`) takes no more output; the
            // others still do, as a process's stderr still works when its stdout's pipe has closed.
            java.util.Set<WritableByteChannel> broken = new java.util.HashSet<>();
            try {
                for (Chunk chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                    if (broken.contains(chunk.to())) {
                        continue;
                    }
                    try {
                        ByteBuffer buffer = ByteBuffer.wrap(chunk.bytes());
                        while (buffer.hasRemaining()) {
                            chunk.to().write(buffer);
                        }
                    } catch (IOException gone) {
                        broken.add(chunk.to());
                    }
                }
            } catch (InterruptedException stopped) {
                // not interrupted by anyone: the command's end is the END chunk
            }
        });
    }

    /** An output stream whose writes go to {@code channel}, in the order of every stream of this outbox. */
    OutputStream stream(WritableByteChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (length > 0) {
                    chunks.add(new Chunk(channel, Arrays.copyOfRange(bytes, offset, offset + length)));
                }
            }
        };
    }

    /** Waits until everything queued is written (or the client is gone). */
    @Override
    public void close() {
        chunks.add(END);
        boolean interrupted = false;
        while (true) {
            try {
                writer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
