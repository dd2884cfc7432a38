package io.strata.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A loopback HTTP server that answers only requests carrying HTTP Basic credentials (and, when
 * asked, more: a token query parameter), challenging the others with 401 as real servers do. The
 * port is bound directly (port 0), so no other process can take it between choosing and binding.
 * Records what it was asked, for tests that check how a client authenticated.
 */
final class BasicAuthServer implements AutoCloseable {
    /** One request as the server saw it; {@code authorized} says whether it was let through. */
    record Seen(String method, String path, String query, boolean sentBasicAuth, boolean authorized) {}

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private BasicAuthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * @param extraCheck what else an authorized request must satisfy (a token parameter, say); a
     *                   request failing it gets 403
     */
    static BasicAuthServer start(String user, String password, Predicate<HttpExchange> extraCheck, HttpHandler handler) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            BasicAuthServer auth = new BasicAuthServer(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try (exchange) {
                    String given = exchange.getRequestHeaders().getFirst("Authorization");
                    boolean basic = given != null && given.startsWith("Basic ");
                    boolean userOk = expected.equals(given);
                    boolean ok = userOk && extraCheck.test(exchange);
                    auth.seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(), basic, ok));
                    if (!userOk) {
                        exchange.getRequestBody().readAllBytes();
                        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"strata-test\"");
                        exchange.sendResponseHeaders(401, -1);
                    } else if (!ok) {
                        exchange.getRequestBody().readAllBytes();
                        exchange.sendResponseHeaders(403, -1);
                    } else {
                        handler.handle(exchange);
                    }
                }
            });
            server.start();
            return auth;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an HTTP server on 127.0.0.1", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
