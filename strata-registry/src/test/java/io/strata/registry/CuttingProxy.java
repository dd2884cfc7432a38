package io.strata.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a registry that breaks the connection once: when the bytes sent
 * towards the registry, over all connections, pass {@code cutAfter}, the connection that carried
 * them is reset in both directions, half-way through whatever request it was sending (a large blob
 * PATCH, in the tests); or ({@link #losingAnswerTo}) when the registry begins to answer the first
 * request that starts with a given text, after the registry did what it asked. Everything before
 * and after goes through untouched.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final long cutAfter;
    /** Requests starting with this lose their answer (once); null: cut after {@code cutAfter} bytes instead. */
    private final byte[] answerLostTo;
    private final AtomicLong forwarded = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    CuttingProxy(int upstreamPort, long cutAfter) throws IOException {
        this(upstreamPort, cutAfter, null);
    }

    private CuttingProxy(int upstreamPort, long cutAfter, byte[] answerLostTo) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.cutAfter = cutAfter;
        this.answerLostTo = answerLostTo;
        Thread.ofVirtual().name("cutting-proxy").start(this::accept);
    }

    /** A proxy that resets the connection instead of passing on the answer to the first request starting with {@code request}. */
    static CuttingProxy losingAnswerTo(int upstreamPort, String request) throws IOException {
        return new CuttingProxy(upstreamPort, Long.MAX_VALUE, request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** {@code 127.0.0.1:port}, a registry name the client speaks plain HTTP to. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    boolean hasCut() {
        return cut;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                java.util.concurrent.atomic.AtomicBoolean marked = new java.util.concurrent.atomic.AtomicBoolean();
                Thread.ofVirtual().start(() -> pump(client, upstream, true, marked));
                Thread.ofVirtual().start(() -> pump(upstream, client, false, marked));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** {@code marked}: this connection sent the request whose answer is to be lost. */
    private void pump(Socket from, Socket to, boolean towardsRegistry, java.util.concurrent.atomic.AtomicBoolean marked) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (answerLostTo != null && !cut) {
                    if (towardsRegistry && startsWith(buffer, n, answerLostTo)) {
                        marked.set(true);
                    } else if (!towardsRegistry && marked.get()) {
                        cut = true;
                        reset(from);
                        reset(to);
                        return;
                    }
                }
                out.write(buffer, 0, n);
                if (towardsRegistry && !cut && forwarded.addAndGet(n) > cutAfter) {
                    cut = true;
                    reset(from);
                    reset(to);
                    return;
                }
            }
        } catch (IOException ended) {
            // one side closed or was reset: the pump of the other direction sees it too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static boolean startsWith(byte[] buffer, int length, byte[] prefix) {
        return length >= prefix.length && java.util.Arrays.equals(buffer, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Closes with an RST rather than a FIN, as a crashed or restarted peer does. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(CuttingProxy::closeQuietly);
    }
}
