package io.strata.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real distribution registry configured for token authentication (the docker token protocol),
 * plus the token service it points at: a small HTTP server in this JVM that checks Basic
 * credentials and issues RS256-signed JWTs with the signing certificate in the {@code x5c} header,
 * which the registry verifies against its {@code rootcertbundle}.
 *
 * <p>Policy: the user {@link #USERNAME} may pull, push and delete anywhere; anyone may pull
 * repositories under {@code public/}. The testkit's {@code RegistryFixture} only offers htpasswd
 * (Basic) auth, so this lives beside the test that needs it.
 */
final class TokenAuthRegistry implements AutoCloseable {
    static final String USERNAME = "token-user";
    private static final String SERVICE = "strata-test-registry";
    private static final String ISSUER = "strata-test-token-service";
    private static final String KEYSTORE_PASSWORD = "keystore-pass";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final String password = "pw-" + UUID.randomUUID();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final PrivateKey signingKey;
    private final byte[] certificate;
    private final HttpServer tokenService;
    private final int registryPort;
    private final Process registry;

    TokenAuthRegistry(Path directory) throws Exception {
        this.directory = directory;
        Path keystore = directory.resolve("signing.p12");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keyalg", "RSA", "-keysize", "2048", "-alias", "token", "-dname", "CN=" + ISSUER, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        signingKey = (PrivateKey) store.getKey("token", KEYSTORE_PASSWORD.toCharArray());
        Certificate cert = store.getCertificate("token");
        certificate = cert.getEncoded();
        Path bundle = directory.resolve("token-ca.pem");
        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate)
                + "\n-----END CERTIFICATE-----\n");

        tokenService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenService.createContext("/token", this::issueToken);
        tokenService.start();

        registryPort = FreePorts.loopback();
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                auth:
                  token:
                    realm: http://127.0.0.1:%d/token
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(directory.resolve("storage"), registryPort, tokenService.getAddress().getPort(),
                SERVICE, ISSUER, bundle));
        Path log = directory.resolve("registry.log");
        registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady(log);
    }

    String host() {
        return "127.0.0.1:" + registryPort;
    }

    String password() {
        return password;
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    /** A docker config.json with this registry's credentials, for buildah and for the client under test. */
    Path writeAuthFile(Path file, String filePassword) throws IOException {
        String auth = Base64.getEncoder().encodeToString((USERNAME + ":" + filePassword).getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    @Override
    public void close() {
        tokenService.stop(0);
        registry.destroy();
        try {
            if (!registry.waitFor(10, TimeUnit.SECONDS)) {
                registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            registry.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            tokenRequests.incrementAndGet();
            Map<String, List<String>> query = query(exchange.getRequestURI());
            String user = authenticatedUser(exchange.getRequestHeaders().getFirst("Authorization"));
            if (user == null) {
                respond(exchange, 401, Map.of("details", "wrong user name or password"));
                return;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            for (String scope : query.getOrDefault("scope", List.of())) {
                String[] parts = scope.split(":");
                List<String> actions = Arrays.stream(parts[2].split(","))
                        .filter(action -> !user.isEmpty() || (action.equals("pull") && parts[1].startsWith("public/")))
                        .toList();
                access.add(Map.of("type", parts[0], "name", parts[1], "actions", actions));
            }
            respond(exchange, 200, Map.of("token", jwt(user, access), "expires_in", 300));
        } catch (Exception e) {
            respond(exchange, 500, Map.of("details", e.toString()));
        }
    }

    /** The user, "" for anonymous, or null when the credentials are wrong. */
    private String authenticatedUser(String authorization) {
        if (authorization == null) {
            return "";
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.equals(USERNAME + ":" + password) ? USERNAME : null;
    }

    private String jwt(String user, List<Map<String, Object>> access) throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> header = Map.of("typ", "JWT", "alg", "RS256",
                "x5c", List.of(Base64.getEncoder().encodeToString(certificate)));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", user);
        claims.put("aud", SERVICE);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + url.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(signingKey);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(signature.sign());
    }

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] keyValue = pair.split("=", 2);
                params.computeIfAbsent(URLDecoder.decode(keyValue[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(keyValue.length > 1 ? URLDecoder.decode(keyValue[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!registry.isAlive()) {
                throw new IllegalStateException("registry exited: " + Files.readString(log));
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
                    return;
                }
            } catch (IOException notListeningYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("registry did not start within " + STARTUP_TIMEOUT + ": " + Files.readString(log));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new UncheckedIOException(new IOException(command.get(0) + " failed: " + output));
        }
    }
}
