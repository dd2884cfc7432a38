package io.strata.cli.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The frames a command sends its client, written by a thread of their own. The command's thread only queues
 * them: a Ctrl-C interrupts that thread (as the signal would in a process of its own), and an interrupted
 * thread's write to a channel closes the channel, which would lose the rest of the output and the exit code.
 */
final class DaemonOutbox implements AutoCloseable {
    private record Frame(byte type, byte[] payload) {}

    private static final Frame END = new Frame((byte) 0, new byte[0]);

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>(); // unbounded: never blocks a command
    private final Thread writer;

    DaemonOutbox(DaemonWire wire) {
        writer = Thread.ofVirtual().name("strata-daemon-output").start(() -> {
            try {
                for (Frame frame = frames.take(); frame != END; frame = frames.take()) {
                    wire.writeFrame(frame.type(), frame.payload(), 0, frame.payload().length);
                }
            } catch (IOException | InterruptedException gone) {
                // The client went away; its end cancels the command (DaemonServer), whose output goes nowhere.
            }
        });
    }

    /** An output stream whose writes become frames of {@code type}. */
    OutputStream stream(byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (length > 0) {
                    frames.add(new Frame(type, Arrays.copyOfRange(bytes, offset, offset + length)));
                }
            }
        };
    }

    void add(byte type, byte[] payload) {
        frames.add(new Frame(type, payload.clone()));
    }

    /** Waits until every queued frame is written (or the client is gone). */
    @Override
    public void close() {
        frames.add(END);
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
