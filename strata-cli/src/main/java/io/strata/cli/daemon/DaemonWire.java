package io.strata.cli.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

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

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * A request: {@link #MAGIC}, its byte, and a count of arguments, always 0. The count stays on the wire because
     * daemons of earlier builds read one (a newer build asks them to retire), and they took a command line there.
     */
    void writeRequest(byte request) throws IOException {
        writeFully(ByteBuffer.allocate(4 + 1 + 4).putInt(MAGIC).put(request).putInt(0).flip());
    }

    /** The request's byte; refuses anything that did not open with {@link #MAGIC}, or that has arguments. */
    byte readRequest() throws IOException {
        if (readInt() != MAGIC) {
            throw new IOException("not a Strata daemon client, or one of another version");
        }
        byte request = readByte();
        int count = readInt();
        if (count != 0) {
            throw new IOException("a request with " + count + " arguments, which no request of this version has");
        }
        return request;
    }

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
