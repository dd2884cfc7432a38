package io.strata.controller.kubelet;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback HTTP server a held build polls (see {@link OsBaseImage}): {@code /NAME} answers 404
 * until the test releases NAME, then 200. Lets a test act while a build is in its RUN step.
 */
public final class ReleaseGate implements AutoCloseable {
    private final HttpServer server;
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    private ReleaseGate(HttpServer server) {
        this.server = server;
    }

    public static ReleaseGate start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ReleaseGate gate = new ReleaseGate(server);
            server.createContext("/", exchange -> {
                boolean open = gate.released.contains(exchange.getRequestURI().getPath().substring(1));
                exchange.sendResponseHeaders(open ? 200 : 404, -1);
                exchange.close();
            });
            server.start();
            return gate;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the release gate", e);
        }
    }

    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    public void release(String name) {
        released.add(name);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
