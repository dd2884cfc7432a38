package io.strata.kube.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.core.StrataException;
import io.strata.core.config.ConfigException;
import io.strata.core.config.reactor.ReactorConfig;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.io.TextFiles;
import io.strata.core.render.UserParams;
import io.strata.core.request.BuildRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code strata worker} reads from its pod: USER_PARAMS and STRATA_WORKER from the environment,
 * REACTOR_CONFIG if given (schema-checked), and from the mounted secret directories the request's
 * URLs with their credentials ({@code credentials.json}) and the registry auth file. Everything is
 * checked here, so a pod with a bad environment ends with one message naming the variable or file.
 */
public record WorkerInput(WorkerSpec spec, WorkerOrder order, UserParams userParams, Optional<ReactorConfig> reactorConfig,
        Optional<Path> registryAuthFile) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HINT = "the engine sets this up in the worker pod; to run a worker by hand, copy the"
            + " environment and secrets of a worker pod (kubectl get pod NAME -o yaml)";

    public static WorkerInput read(Map<String, String> environment) throws StrataException {
        String userParamsJson = required(environment, WorkerPodContract.USER_PARAMS);
        WorkerOrder order = WorkerOrder.fromJson(required(environment, WorkerPodContract.STRATA_WORKER));
        UserParams params;
        try {
            params = UserParams.fromJson(userParamsJson);
        } catch (ConfigException e) {
            // Jackson names the Java type it wanted; the reader of this message wrote JSON.
            throw new StrataException("WORKER_INPUT_INVALID", "USER_PARAMS is not valid: "
                    + e.getMessage().replaceAll("`?\\b[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+\\.[A-Z]\\w*`?", "build parameters"), HINT);
        }
        Optional<ReactorConfig> reactor = Optional.empty();
        String reactorText = environment.getOrDefault(WorkerPodContract.REACTOR_CONFIG, "");
        if (!reactorText.isBlank()) {
            try {
                reactor = Optional.of(io.strata.core.config.reactor.ReactorConfigLoader.parse("$REACTOR_CONFIG", reactorText));
            } catch (ConfigException e) {
                throw new StrataException("WORKER_INPUT_INVALID", "REACTOR_CONFIG is not a valid reactor configuration: " + e.getMessage(),
                        "fix the ConfigMap named by reactor_config_map (key config.yaml)");
            }
        }
        List<Path> secretDirs = Stream.of(environment.getOrDefault(WorkerPodContract.SECRETS, "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
        Credentials credentials = Credentials.find(secretDirs, environment);
        BuildRequest request = BuildRequest.builder()
                .component(params.component())
                .gitUri(credentials.gitUri().orElse(params.gitUri()))
                .gitRef(params.gitRef())
                .gitBranch(params.gitBranch())
                .dockerfilePath(params.dockerfilePath())
                .target(params.kojiTarget())
                .platforms(List.of(order.platform()))
                .scratch(params.scratch())
                .isolated(params.isolated())
                .release(params.release())
                .yumRepoUrls(credentials.yumRepoUrls().orElse(params.yumRepoUrls()))
                .labels(params.labels())
                .buildArgs(params.buildArgs())
                .user(params.user())
                .kojiTaskId(params.kojiTaskId())
                .networkPolicy(order.networkPolicy())
                .build();
        WorkerSpec spec;
        try {
            spec = new WorkerSpec(order.id(), request, order.planJson(), order.platform(), Math.max(1, order.attempt()),
                    Math.max(0, order.logAfter()));
        } catch (IllegalArgumentException e) {
            throw new StrataException("WORKER_INPUT_INVALID", "STRATA_WORKER: " + e.getMessage(), HINT);
        }
        return new WorkerInput(spec, order, params, reactor, credentials.registryAuth());
    }

    private static String required(Map<String, String> environment, String name) throws StrataException {
        String value = environment.getOrDefault(name, "");
        if (value.isBlank()) {
            throw new StrataException("WORKER_INPUT_MISSING", "$" + name + " is not set: the worker has no build to run", HINT);
        }
        return value;
    }

    /** The request's URLs with their credentials and the registry auth file, from the mounted secrets. */
    record Credentials(Optional<String> gitUri, Optional<List<String>> yumRepoUrls, Optional<Path> registryAuth) {
        static Credentials find(List<Path> dirs, Map<String, String> environment) throws StrataException {
            Optional<String> git = Optional.empty();
            Optional<List<String>> repos = Optional.empty();
            Optional<Path> auth = Optional.empty();
            String fromEnv = environment.getOrDefault(WorkerPodContract.CREDENTIALS_ENV, "");
            if (!fromEnv.isBlank()) {
                JsonNode node = parse(fromEnv, "$" + WorkerPodContract.CREDENTIALS_ENV);
                git = Optional.ofNullable(node.path("git_uri").textValue());
                List<String> urls = new ArrayList<>();
                node.path("yum_repourls").forEach(u -> urls.add(u.asText()));
                repos = Optional.of(urls);
            }
            String authFromEnv = environment.getOrDefault(WorkerPodContract.REGISTRY_AUTH_ENV, "");
            if (!authFromEnv.isBlank()) {
                auth = Optional.of(privateFile(authFromEnv));
            }
            for (Path dir : dirs) {
                Path credentials = dir.resolve(WorkerPodContract.CREDENTIALS_FILE);
                if (Files.isRegularFile(credentials) && git.isEmpty()) {
                    JsonNode node = readJson(credentials);
                    git = Optional.ofNullable(node.path("git_uri").textValue());
                    List<String> urls = new ArrayList<>();
                    node.path("yum_repourls").forEach(u -> urls.add(u.asText()));
                    repos = Optional.of(urls);
                }
                for (String name : List.of(WorkerPodContract.REGISTRY_AUTH_FILE, ".dockerconfigjson")) {
                    Path file = dir.resolve(name);
                    if (auth.isEmpty() && Files.isRegularFile(file)) {
                        auth = Optional.of(file);
                    }
                }
            }
            return new Credentials(git, repos, auth);
        }

        /** The registry auth of an OpenShift Build's environment, as a 0600 file buildah and the registry client can read. */
        private static Path privateFile(String content) throws StrataException {
            try {
                Path file = Files.createTempFile("strata-registry-auth-", ".json",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, content);
                file.toFile().deleteOnExit();
                return file;
            } catch (java.io.IOException e) {
                throw new StrataException("WORKER_INPUT_INVALID", "cannot write the registry auth of $" + WorkerPodContract.REGISTRY_AUTH_ENV
                        + " to a file: " + e.getMessage(), "give the worker a writable temporary directory");
            }
        }

        private static JsonNode parse(String json, String origin) throws StrataException {
            try {
                return JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new StrataException("WORKER_INPUT_INVALID", origin + " is not JSON: " + e.getOriginalMessage(), HINT);
            }
        }

        private static JsonNode readJson(Path file) throws StrataException {
            try {
                return JSON.readTree(TextFiles.readUtf8(file));
            } catch (TextFiles.UnreadableTextException | JsonProcessingException e) {
                throw new StrataException("WORKER_INPUT_INVALID", "the mounted secret file " + file + " is not JSON: "
                        + (e instanceof TextFiles.UnreadableTextException u ? u.problem() : ((JsonProcessingException) e).getOriginalMessage()), HINT);
            }
        }
    }
}
