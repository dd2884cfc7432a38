package io.strata.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials from a docker {@code config.json} or a podman/skopeo {@code auth.json}:
 * {@code {"auths": {"<key>": {"auth": "<base64 user:password>"}}}}, or with {@code username} and
 * {@code password} fields instead of {@code auth}. Keys are a registry host ({@code quay.io}), a
 * host with a repository path ({@code quay.io/team}, podman's per-namespace credentials), or a URL
 * as old docker versions wrote them ({@code https://index.docker.io/v1/}).
 *
 * <p>Credential helpers ({@code credsStore}, {@code credHelpers}) are not run: entries that rely on
 * them simply have no credentials here.
 */
public final class RegistryAuthFile {
    /** Environment variable podman, buildah and skopeo read for the auth file. */
    public static final String AUTH_FILE_VARIABLE = "REGISTRY_AUTH_FILE";

    /** Trailing text after the object is an error: it usually means a botched hand edit. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Map<String, String> REGISTRY_ALIASES = Map.of(
            "index.docker.io", ReferenceGrammar.DEFAULT_REGISTRY,
            "registry-1.docker.io", ReferenceGrammar.DEFAULT_REGISTRY);

    private final Optional<Path> source;
    private final Map<String, Credentials> credentialsByKey;

    private RegistryAuthFile(Optional<Path> source, Map<String, Credentials> credentialsByKey) {
        this.source = source;
        this.credentialsByKey = Map.copyOf(credentialsByKey);
    }

    /** No credentials at all: every registry is accessed anonymously. */
    public static RegistryAuthFile none() {
        return new RegistryAuthFile(Optional.empty(), Map.of());
    }

    /**
     * Reads {@code file}, which must exist.
     *
     * @throws RegistryException {@code REGISTRY_AUTH_FILE_INVALID} when it is missing, unreadable or malformed
     */
    public static RegistryAuthFile load(Path file) throws RegistryException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw invalid(file, "the file does not exist", e);
        } catch (IOException e) {
            throw invalid(file, "cannot read it: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending token, which may be part of a secret.
            String line = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
            throw invalid(file, line, "not valid JSON near column "
                    + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()), null);
        }
        return new RegistryAuthFile(Optional.of(file), parseAuths(file, root));
    }

    /**
     * Credentials from auth-file JSON held in memory, such as the {@code .dockerconfigjson} of a
     * Kubernetes Secret, so they never pass through a file; {@code origin} names where they came
     * from in messages (e.g. {@code Secret ns/name}).
     *
     * @throws RegistryException {@code REGISTRY_AUTH_FILE_INVALID} when the JSON is malformed
     */
    public static RegistryAuthFile fromJson(String json, String origin) throws RegistryException {
        Path named = Path.of(origin);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(named, "not valid JSON", null); // Jackson's text may quote part of a secret
        }
        return new RegistryAuthFile(Optional.of(named), parseAuths(named, root));
    }

    /**
     * The auth file the container tools would use: {@code $REGISTRY_AUTH_FILE} (which must then
     * exist), else {@code $XDG_RUNTIME_DIR/containers/auth.json}, else
     * {@code ~/.docker/config.json}; {@link #none()} when none of them exists.
     */
    public static RegistryAuthFile discover() throws RegistryException {
        Optional<Path> location = defaultLocation(System.getenv(), Path.of(System.getProperty("user.home")));
        return location.isPresent() ? load(location.get()) : none();
    }

    /** The lookup behind {@link #discover()}, with the environment and home directory passed in. */
    static Optional<Path> defaultLocation(Map<String, String> environment, Path home) {
        String explicit = environment.get(AUTH_FILE_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            Path podmanFile = Path.of(runtimeDir, "containers", "auth.json");
            if (Files.isRegularFile(podmanFile)) {
                return Optional.of(podmanFile);
            }
        }
        Path dockerFile = home.resolve(".docker").resolve("config.json");
        return Files.isRegularFile(dockerFile) ? Optional.of(dockerFile) : Optional.empty();
    }

    /** The file these credentials came from; empty for {@link #none()}. */
    public Optional<Path> source() {
        return source;
    }

    /** Credentials stored for a registry host such as {@code quay.io} or {@code 127.0.0.1:5000}. */
    public Optional<Credentials> credentialsFor(String registry) {
        return Optional.ofNullable(credentialsByKey.get(canonicalRegistry(registry)));
    }

    /**
     * Credentials for an image's repository: the most specific key wins, so {@code quay.io/team/app}
     * is looked up as {@code quay.io/team/app}, then {@code quay.io/team}, then {@code quay.io}.
     */
    public Optional<Credentials> credentialsFor(ImageReference image) {
        String key = canonicalRegistry(image.registry()) + "/" + image.repository();
        while (true) {
            Credentials found = credentialsByKey.get(key);
            if (found != null) {
                return Optional.of(found);
            }
            int slash = key.lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            key = key.substring(0, slash);
        }
    }

    /**
     * Every password in the file, and the base64 {@code user:password} forms tools print, so a
     * build log can mask them wherever they slip into a tool's output.
     */
    public java.util.Set<String> secrets() {
        java.util.Set<String> secrets = new java.util.HashSet<>();
        for (Credentials credentials : credentialsByKey.values()) {
            secrets.add(credentials.password());
            secrets.add(java.util.Base64.getEncoder().encodeToString(
                    (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8)));
        }
        return java.util.Set.copyOf(secrets);
    }

    /** Where these credentials came from, for messages; never the credentials themselves. */
    public String describe() {
        return source.map(Path::toString).orElse("no registry auth file");
    }

    @Override
    public String toString() {
        return "RegistryAuthFile[" + describe() + ", " + credentialsByKey.size() + " entries]";
    }

    private static Map<String, Credentials> parseAuths(Path file, JsonNode root) throws RegistryException {
        if (!root.isObject()) {
            throw invalid(file, "the top level must be a JSON object with an \"auths\" member", null);
        }
        JsonNode auths = root.path("auths");
        if (auths.isMissingNode() || auths.isNull()) {
            return Map.of();
        }
        if (!auths.isObject()) {
            throw invalid(file, "\"auths\" must be an object mapping registry to credentials", null);
        }
        Map<String, Credentials> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            Optional<Credentials> credentials = parseEntry(file, entry.getKey(), entry.getValue());
            if (credentials.isPresent()) {
                byKey.put(normaliseKey(entry.getKey()), credentials.get());
            }
        }
        return byKey;
    }

    private static Optional<Credentials> parseEntry(Path file, String key, JsonNode entry) throws RegistryException {
        String where = "auths.\"" + key + "\"";
        if (!entry.isObject()) {
            throw invalid(file, where + " must be an object with \"auth\" or \"username\"/\"password\"", null);
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            return Optional.of(decodeAuth(file, where, auth));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (username.isEmpty() && password.isEmpty()) {
            // docker writes an empty entry for registries whose credentials live in a helper.
            return Optional.empty();
        }
        if (username.isEmpty() || password.isEmpty()) {
            throw invalid(file, where + " has a " + (username.isEmpty() ? "password but no username" : "username but no password"), null);
        }
        return Optional.of(new Credentials(username, password));
    }

    private static Credentials decodeAuth(Path file, String where, String auth) throws RegistryException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // The exception text would echo part of the secret; say only what is wrong.
            throw invalid(file, where + ".auth is not valid base64", null);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw invalid(file, where + ".auth must be the base64 of \"username:password\"", null);
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /**
     * Keys written as URLs keep only the host (docker's legacy form); plain keys keep their path,
     * which podman uses for per-repository credentials. Docker Hub's aliases become {@code docker.io}.
     */
    static String normaliseKey(String key) {
        String stripped = key;
        boolean url = false;
        for (String scheme : new String[] {"https://", "http://"}) {
            if (stripped.startsWith(scheme)) {
                stripped = stripped.substring(scheme.length());
                url = true;
            }
        }
        if (url) {
            int slash = stripped.indexOf('/');
            stripped = slash < 0 ? stripped : stripped.substring(0, slash);
        }
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        int slash = stripped.indexOf('/');
        String host = slash < 0 ? stripped : stripped.substring(0, slash);
        String path = slash < 0 ? "" : stripped.substring(slash);
        return canonicalRegistry(host) + path;
    }

    private static String canonicalRegistry(String registry) {
        return REGISTRY_ALIASES.getOrDefault(registry, registry);
    }

    private static RegistryException invalid(Path file, String problem, Throwable cause) {
        return invalid(file, "", problem, cause);
    }

    private static RegistryException invalid(Path file, String line, String problem, Throwable cause) {
        return new RegistryException(RegistryException.Reason.REGISTRY_AUTH_FILE_INVALID,
                "registry auth file " + file + line + ": " + problem,
                "fix the file by hand, or rewrite it with 'skopeo login --authfile " + file + " <registry>';"
                        + " point $" + AUTH_FILE_VARIABLE + " elsewhere to use another file",
                cause);
    }
}
