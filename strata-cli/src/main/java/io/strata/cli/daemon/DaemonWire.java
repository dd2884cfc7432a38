package io.strata.cli.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a build daemon and its client say to each other over the daemon's Unix socket. Only
 * {@code java.base}: the client's JVM loads this and {@link DaemonClient} and nothing else of Strata.
 * <p>The client opens with {@link #MAGIC} and one request byte ({@link #RUN} with the command line,
 * {@link #STATUS}, {@link #STOP} or {@link #RETIRE}); while a command runs it may send {@link #CANCEL} (its Ctrl-C), and
 * closing its end cancels too. The daemon answers in frames: a type byte, a length, the payload
 * ({@link #OUT} and {@link #ERR} bytes, {@link #EXIT} a four-byte exit code, {@link #BUSY} none,
 * {@link #TEXT} UTF-8 for the status and stop requests).
 * <p>Reads and writes go straight to the channel (a blocking {@code SocketChannel} lets one thread read
 * while another writes; the streams of {@code java.nio.channels.Channels} would serialise them).
 */
final class DaemonWire implements AutoCloseable {
    /** "STRD", then the protocol's version: a client of another build never talks to this daemon (the key differs). */
    static final int MAGIC = 0x53545244;
    static final byte RUN = 1;
    static final byte STATUS = 2;
    static final byte STOP = 3;
    /** Stop taking commands and end once the running one, if any, has (a daemon of an older jar being replaced). */
    static final byte RETIRE = 4;
    /** Client to daemon, during a run: the user pressed Ctrl-C (or the client got SIGTERM or SIGHUP). */
    static final byte CANCEL = 9;

    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte EXIT = 3;
    static final byte BUSY = 4;
    static final byte TEXT = 5;

    private final SocketChannel channel;

    DaemonWire(SocketChannel channel) {
        this.channel = channel;
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A request with its arguments (none for status and stop). */
    void writeRequest(byte request, List<String> args) throws IOException {
        int size = 4 + 1 + 4;
        List<byte[]> encoded = new ArrayList<>();
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            encoded.add(bytes);
            size += 4 + bytes.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(MAGIC).put(request).putInt(encoded.size());
        encoded.forEach(bytes -> buffer.putInt(bytes.length).put(bytes));
        writeFully(buffer.flip());
    }

    /** The request's byte and its arguments; refuses anything that did not open with {@link #MAGIC}. */
    Request readRequest() throws IOException {
        if (readInt() != MAGIC) {
            throw new IOException("not a Strata daemon client, or one of another version");
        }
        byte request = readByte();
        int count = readInt();
        if (count < 0 || count > 100_000) {
            throw new IOException("a command line of " + count + " arguments");
        }
        List<String> args = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            args.add(new String(readBytes(readInt()), StandardCharsets.UTF_8));
        }
        return new Request(request, args);
    }

    record Request(byte kind, List<String> args) {}

    record Frame(byte type, byte[] payload) {
        int exitCode() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    synchronized void writeFrame(byte type, byte[] payload, int offset, int length) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5).put(type).putInt(length).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
        while (header.hasRemaining() || body.hasRemaining()) {
            channel.write(new ByteBuffer[] {header, body});
        }
    }

    void writeText(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeFrame(TEXT, bytes, 0, bytes.length);
    }

    Frame readFrame() throws IOException {
        byte type = readByte();
        int length = readInt();
        if (length < 0) {
            throw new IOException("a frame of " + length + " bytes");
        }
        return new Frame(type, readBytes(length));
    }

    /** One byte; -1 at the end of the stream. */
    int readSignal() throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return channel.read(one) < 0 ? -1 : one.get(0);
    }

    void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private byte readByte() throws IOException {
        return readBytes(1)[0];
    }

    private int readInt() throws IOException {
        return ByteBuffer.wrap(readBytes(4)).getInt();
    }

    private byte[] readBytes(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the other end closed the daemon's socket");
            }
        }
        return buffer.array();
    }
}
