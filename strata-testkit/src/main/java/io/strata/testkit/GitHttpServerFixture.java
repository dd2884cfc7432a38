package io.strata.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Git's smart HTTP protocol behind HTTP Basic auth, as a private git server does it: {@code git
 * http-backend} (git's own CGI program) run per request behind a small loopback server that first
 * checks the credentials. Serves every repository under a directory (work trees of
 * {@link GitRepoFixture} included). Git runs with an empty configuration (no system or user
 * gitconfig), so the machine's settings cannot change what a test sees.
 *
 * <pre>{@code
 * try (var server = GitHttpServerFixture.start(reposDir, "builder", "s3cret")) {
 *     URI uri = server.uriWithCredentials("app");   // http://builder:s3cret@127.0.0.1:PORT/app
 * }
 * }</pre>
 */
public final class GitHttpServerFixture implements AutoCloseable {
    private final BasicAuthServer server;
    private final Path home;
    private final String user;
    private final String password;

    private GitHttpServerFixture(BasicAuthServer server, Path home, String user, String password) {
        this.server = server;
        this.home = home;
        this.user = user;
        this.password = password;
    }

    /** Serves the repositories under {@code projectRoot} to whoever presents {@code user}/{@code password}. */
    public static GitHttpServerFixture start(Path projectRoot, String user, String password) {
        Path home = TempDirs.create("git-http-home");
        return new GitHttpServerFixture(BasicAuthServer.start(user, password, exchange -> true,
                exchange -> runBackend(exchange, projectRoot, home, user)), home, user, password);
    }

    /** {@code http://127.0.0.1:PORT/name}, without credentials: the server answers it with 401. */
    public URI uri(String repository) {
        return URI.create("http://127.0.0.1:" + server.port() + "/" + repository);
    }

    /** {@code http://user:password@127.0.0.1:PORT/name}. */
    public URI uriWithCredentials(String repository) {
        return URI.create("http://" + user + ":" + password + "@127.0.0.1:" + server.port() + "/" + repository);
    }

    /** Requests the server let through after checking their Basic credentials. */
    public long authorizedRequests() {
        return server.seen().stream().filter(BasicAuthServer.Seen::authorized).count();
    }

    /** Requests it answered with 401 (no or wrong credentials). */
    public long refusedRequests() {
        return server.seen().stream().filter(seen -> !seen.authorized()).count();
    }

    /** Every request's path and query as received, for checking that no credential travelled in a URL. */
    public List<String> requestTargets() {
        return server.seen().stream().map(s -> s.path() + (s.query() == null ? "" : "?" + s.query())).toList();
    }

    @Override
    public void close() {
        server.close();
        TempDirs.deleteRecursively(home);
    }

    private static void runBackend(HttpExchange exchange, Path projectRoot, Path home, String user) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        ProcessBuilder builder = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = builder.environment();
        String path = System.getenv("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_COUNT", "1");
        env.put("GIT_CONFIG_KEY_0", "safe.directory");
        env.put("GIT_CONFIG_VALUE_0", "*");
        env.put("GIT_PROJECT_ROOT", projectRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        env.put("QUERY_STRING", Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
        env.put("CONTENT_LENGTH", Integer.toString(body.length));
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        header(exchange, "Content-Type").ifPresent(v -> env.put("CONTENT_TYPE", v));
        header(exchange, "Content-Encoding").ifPresent(v -> env.put("HTTP_CONTENT_ENCODING", v));
        header(exchange, "Git-Protocol").ifPresent(v -> env.put("GIT_PROTOCOL", v));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(body);
            } catch (IOException e) {
                // the backend stopped reading: its answer (an error status) says why
            }
        });
        try (InputStream out = process.getInputStream()) {
            CgiHead head = CgiHead.read(out);
            head.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(head.status(), 0);
            try (OutputStream response = exchange.getResponseBody()) {
                out.transferTo(response);
            }
        } finally {
            try {
                writer.join();
                process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Optional<String> header(HttpExchange exchange, String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** The header block a CGI program writes before its body; {@code Status:} becomes the HTTP status. */
    private record CgiHead(int status, Map<String, String> headers) {
        static CgiHead read(InputStream out) throws IOException {
            int status = 200;
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (String line = readLine(out); !line.isEmpty(); line = readLine(out)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    headers.put(name, value);
                }
            }
            return new CgiHead(status, headers);
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
