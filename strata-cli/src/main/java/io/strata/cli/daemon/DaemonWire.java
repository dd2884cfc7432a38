package io.strata.cli.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code strata daemon status} and {@code stop}, and a build that replaces an older daemon, say to a build
 * daemon over its Unix socket (the commands it runs come through its request FIFO instead, {@link RunRequest}).
 * <p>The asking side opens with {@link #MAGIC} and one request byte ({@link #STATUS}, {@link #STOP} or
 * {@link #RETIRE}); the daemon answers with one frame: a type byte ({@link #TEXT}), a length, the UTF-8 text.
 */
final class DaemonWire implements AutoCloseable {
    /** "STRD", then the protocol's version: a client of another build never talks to this daemon (the key differs). */
    static final int MAGIC = 0x53545244;
    static final byte STATUS = 2;
    static final byte STOP = 3;
    /** Stop taking commands and end once the running one, if any, has (a daemon of an older jar being replaced). */
    static final byte RETIRE = 4;

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

    /** A request with its arguments (none for the requests there are now). */
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

    record Frame(byte type, byte[] payload) {}

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
