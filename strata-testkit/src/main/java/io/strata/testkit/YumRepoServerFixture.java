package io.strata.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A yum repository host that, like a protected content server, answers only with HTTP Basic
 * credentials <em>and</em> a token query parameter ({@code ?token=...}). Serves the {@code .repo}
 * files a test puts on it at {@code /NAME}.
 *
 * <pre>{@code
 * try (var repos = YumRepoServerFixture.start("repouser", "s3cret", "q7ery")) {
 *     repos.put("extra.repo", "[extra]\nbaseurl=...\n");
 *     String url = repos.urlWithCredentials("extra.repo"); // http://repouser:s3cret@127.0.0.1:PORT/extra.repo?token=q7ery
 * }
 * }</pre>
 */
public final class YumRepoServerFixture implements AutoCloseable {
    private final BasicAuthServer server;
    private final Map<String, String> files;
    private final String user;
    private final String password;
    private final String token;

    private YumRepoServerFixture(BasicAuthServer server, Map<String, String> files, String user, String password, String token) {
        this.server = server;
        this.files = files;
        this.user = user;
        this.password = password;
        this.token = token;
    }

    public static YumRepoServerFixture start(String user, String password, String token) {
        Map<String, String> files = new ConcurrentHashMap<>();
        BasicAuthServer server = BasicAuthServer.start(user, password, exchange -> hasToken(exchange, token),
                exchange -> serve(exchange, files));
        return new YumRepoServerFixture(server, files, user, password, token);
    }

    /** Serves {@code content} at {@code /name}. */
    public YumRepoServerFixture put(String name, String content) {
        files.put(name, content);
        return this;
    }

    /** {@code http://127.0.0.1:PORT/name}: refused (401) as it is. */
    public String url(String name) {
        return "http://127.0.0.1:" + server.port() + "/" + name;
    }

    /** {@code http://user:password@127.0.0.1:PORT/name?token=TOKEN}: what a build must be given. */
    public String urlWithCredentials(String name) {
        return "http://" + user + ":" + password + "@127.0.0.1:" + server.port() + "/" + name + "?token=" + token;
    }

    /** Requests that carried both the Basic credentials and the token, and were served. */
    public long authorizedRequests() {
        return server.seen().stream().filter(BasicAuthServer.Seen::authorized).count();
    }

    /** Requests refused for lack of credentials or token. */
    public long refusedRequests() {
        return server.seen().stream().filter(seen -> !seen.authorized()).count();
    }

    @Override
    public void close() {
        server.close();
    }

    private static boolean hasToken(HttpExchange exchange, String token) {
        String query = exchange.getRequestURI().getQuery();
        return query != null && Arrays.asList(query.split("&")).contains("token=" + token);
    }

    private static void serve(HttpExchange exchange, Map<String, String> files) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(1);
        String content = files.get(name);
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
