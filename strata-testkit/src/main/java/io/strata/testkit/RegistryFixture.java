package io.strata.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real distribution registry ({@code /usr/bin/docker-registry}) on a free loopback port, with its
 * own configuration, filesystem storage in a temporary directory and, by default, htpasswd
 * (bcrypt) authentication. The system registry Debian starts on :5000 is never used.
 *
 * <p>{@link #stop()} ends the server but keeps the fixture usable for "registry unreachable" tests,
 * {@link #restart()} brings it back on the same port; {@link #close()} stops it and deletes its storage.
 */
public final class RegistryFixture implements AutoCloseable {
    private static final Path REGISTRY_BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int BIND_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Optional<Credentials> credentials;
    private final int port;
    /** Replaced by {@link #restart()}. */
    private volatile Process process;

    private record Credentials(String username, String password) {}

    private RegistryFixture(Path directory, Optional<Credentials> credentials, int port, Process process) {
        this.directory = directory;
        this.credentials = credentials;
        this.port = port;
        this.process = process;
    }

    /** A registry that requires the credentials {@link #username()} / {@link #password()}. */
    public static RegistryFixture start() {
        return start(Optional.of(new Credentials("strata-test", "pw-" + java.util.UUID.randomUUID())));
    }

    /** A registry that accepts anonymous pushes and pulls. */
    public static RegistryFixture startWithoutAuth() {
        return start(Optional.empty());
    }

    private static RegistryFixture start(Optional<Credentials> credentials) {
        Path directory = TempDirs.create("registry");
        try {
            credentials.ifPresent(c -> writeHtpasswd(directory, c));
            FixtureException last = null;
            for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
                int port = FreePorts.loopback();
                try {
                    return new RegistryFixture(directory, credentials, port, launch(directory, credentials, port));
                } catch (FixtureException e) {
                    last = e; // most likely the port was taken between choosing and binding it
                }
            }
            throw last;
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(directory);
            throw e;
        }
    }

    private static void writeHtpasswd(Path directory, Credentials c) {
        String line = Exec.of(List.of("htpasswd", "-Bbn", c.username(), c.password()))
                .hiding(List.of(c.password())).run();
        write(directory.resolve("htpasswd"), line.strip() + "\n");
    }

    private static Process launch(Path directory, Optional<Credentials> credentials, int port) {
        Path config = directory.resolve("config-" + port + ".yml");
        write(config, configYaml(directory, credentials.isPresent(), port));
        Path log = directory.resolve("registry-" + port + ".log");
        Process process;
        try {
            process = new ProcessBuilder(REGISTRY_BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new FixtureException("cannot start " + REGISTRY_BINARY
                    + " (install it with 'apt-get install docker-registry')", e);
        }
        try {
            awaitReady(process, port, credentials.isPresent() ? 401 : 200, log);
            return process;
        } catch (RuntimeException e) {
            terminate(process);
            throw e;
        }
    }

    private static String configYaml(Path directory, boolean authenticated, int port) {
        String yaml = """
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
                """.formatted(directory.resolve("storage"), port);
        if (authenticated) {
            yaml += """
                    auth:
                      htpasswd:
                        realm: strata-test
                        path: %s
                    """.formatted(directory.resolve("htpasswd"));
        }
        return yaml;
    }

    /** Polls {@code /v2/} until it answers as a running registry does (401 with auth, 200 without). */
    private static void awaitReady(Process process, int port, int expectedStatus, Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new FixtureException("registry exited with " + process.exitValue() + ": " + read(log));
            }
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == expectedStatus) {
                    return;
                }
                throw new FixtureException("registry on port " + port + " answered /v2/ with " + status
                        + " instead of " + expectedStatus);
            } catch (IOException notYetListening) {
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FixtureException("interrupted while waiting for the registry", e);
            }
        }
        throw new FixtureException("registry did not answer on port " + port + " within " + STARTUP_TIMEOUT
                + ": " + read(log));
    }

    /** "127.0.0.1:PORT", the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** A reference in this registry, e.g. {@code reference("app:1")} is "127.0.0.1:PORT/app:1". */
    public String reference(String repositoryAndTag) {
        return host() + "/" + repositoryAndTag;
    }

    public boolean requiresAuth() {
        return credentials.isPresent();
    }

    public String username() {
        return credentials.orElseThrow(() -> new IllegalStateException("registry has no auth")).username();
    }

    public String password() {
        return credentials.orElseThrow(() -> new IllegalStateException("registry has no auth")).password();
    }

    /**
     * Writes a docker config.json that authenticates to this registry, as buildah's and skopeo's
     * {@code --authfile} expect. Without auth it writes an empty "auths" map.
     */
    public Path writeAuthFile(Path file) {
        String auths = credentials.map(c -> "\"" + host() + "\":{\"auth\":\"" + Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)) + "\"}")
                .orElse("");
        write(file, "{\"auths\":{" + auths + "}}\n");
        return file;
    }

    /** {@code skopeo inspect} of a reference in this registry ("repo:tag" or "repo@sha256:..."). */
    public JsonNode skopeoInspect(String repositoryReference) {
        return parse(skopeo("inspect", "docker://" + reference(repositoryReference)));
    }

    /** The raw manifest (or manifest list) stored for a reference, exactly as the registry serves it. */
    public String skopeoInspectRaw(String repositoryReference) {
        return skopeo("inspect", "--raw", "docker://" + reference(repositoryReference));
    }

    /**
     * The bytes of a blob (a layer or an image configuration) of {@code repository}, fetched over the
     * registry API, for tests that look inside what was pushed.
     */
    public byte[] blob(String repository, String digest) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repository
                + "/blobs/" + digest)).timeout(Duration.ofMinutes(1));
        credentials.ifPresent(c -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new FixtureException("blob " + repository + "@" + digest + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch blob " + digest + " of " + repository, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FixtureException("interrupted while fetching blob " + digest, e);
        }
    }

    /** The tags of a repository, in the order the registry lists them. */
    public List<String> tags(String repository) {
        String listed;
        try {
            listed = skopeo("list-tags", "docker://" + reference(repository));
        } catch (FixtureException e) {
            // A repository nothing was ever pushed to is "unknown" to the registry: it has no tags.
            if (e.getMessage().contains("name unknown") || e.getMessage().contains("NAME_UNKNOWN")
                    || e.getMessage().contains("404 (Not Found)")) {
                return List.of();
            }
            throw e;
        }
        JsonNode tags = parse(listed).path("Tags");
        List<String> result = new ArrayList<>();
        tags.forEach(tag -> result.add(tag.asText()));
        return List.copyOf(result);
    }

    private String skopeo(String command, String... arguments) {
        List<String> line = new ArrayList<>(List.of("skopeo", command, "--tls-verify=false"));
        credentials.ifPresent(c -> line.add("--creds=" + c.username() + ":" + c.password()));
        line.addAll(List.of(arguments));
        return Exec.of(line).hiding(credentials.map(c -> List.of(c.password())).orElse(List.of())).run();
    }

    /** The registry process, for users who keep it running (`strata demo --keep-registry`). */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Ends the registry process; its port then refuses connections. Storage is kept until close(). */
    public void stop() {
        terminate(process);
    }

    /**
     * Starts the registry again after {@link #stop()}, on the same port with the same storage and
     * credentials: what clients see when a registry restarts. Returns once it answers.
     */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the registry on port " + port + " is still running; stop() it first");
        }
        process = launch(directory, credentials, port);
    }

    @Override
    public void close() {
        stop();
        TempDirs.deleteRecursively(directory);
    }

    private static void terminate(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new FixtureException("skopeo printed something that is not JSON: " + json, e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FixtureException("interrupted while waiting for the registry", e);
        }
    }
}
