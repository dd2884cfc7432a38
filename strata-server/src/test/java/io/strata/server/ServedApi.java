package io.strata.server;

import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.local.store.ApiTokens;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.worker.LocalServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A real build service on a free loopback port: the store under a test directory, the dry-run
 * engine with its scheduler, the Javalin server, and a JDK HttpClient to call it. What the server
 * logs is kept, to prove that no token reaches it.
 */
final class ServedApi implements AutoCloseable {
    final LocalServices services;
    final JdbcBuildStore tokenStore;
    final StrataServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final Path home;
    final Configuration config;

    ServedApi(Path home, String dryRunDelay) throws Exception {
        this(home, dryRunDelay, StrataServer.KEEP_ALIVE);
    }

    ServedApi(Path home, String dryRunDelay, Duration keepAlive) throws Exception {
        this(home, Map.of("STRATA_DRY_RUN_DELAY", dryRunDelay), keepAlive);
    }

    /** With more settings of the environment ({@code STRATA_*} variables) on top of the dry-run engine under {@code home}. */
    ServedApi(Path home, Map<String, String> environment, Duration keepAlive) throws Exception {
        this.home = home;
        Map<String, String> variables = new java.util.HashMap<>(Map.of("STRATA_HOME", home.toString(), "STRATA_ENGINE", "dry-run"));
        variables.putAll(environment);
        this.config = ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), variables,
                home.resolve("no-osbs.conf"), home)).config();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        this.services = LocalServices.open(config, BuildahOptions.systemDefault(), logStream);
        this.tokenStore = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        this.server = new StrataServer(services.builds(), tokenStore.apiTokens(), tokenStore::leases, logStream, keepAlive,
                ServiceOperations.of(tokenStore, config))
                .observe(services.startScheduler(), services.store(), tokenStore)
                .start("127.0.0.1", 0);
    }

    String token(String user, boolean admin) throws Exception {
        return tokenStore.apiTokens().create(user, admin, Optional.empty()).secret();
    }

    ApiTokens tokens() {
        return tokenStore.apiTokens();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send(request(path, token).GET());
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(2));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        server.close();
        services.close();
        tokenStore.close();
    }
}
