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
 * PATCH, in the tests). Everything before and after goes through untouched.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final long cutAfter;
    private final AtomicLong forwarded = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    CuttingProxy(int upstreamPort, long cutAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.cutAfter = cutAfter;
        Thread.ofVirtual().name("cutting-proxy").start(this::accept);
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
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardsRegistry) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
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
