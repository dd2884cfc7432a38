package io.strata.core.render;

import io.strata.core.config.BuildKind;
import io.strata.core.config.Configuration;
import io.strata.core.plan.StepCatalog;
import io.strata.core.request.BuildRequest;
import io.strata.core.request.BuildRequestValidator;
import io.strata.core.request.InvalidBuildRequestException;
import io.strata.core.render.wire.BuildConfigWire;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Renders the orchestrator BuildConfig osbs-client would have created for a request: the Custom
 * strategy running the build image, USER_PARAMS in the environment, the reactor configuration
 * from its ConfigMap, each configured secret mounted under {@value #SECRETS_DIR}. The clock and
 * the random source are injected so tests get the same output every time. Nothing secret from the
 * configuration (password, token) is used.
 */
public final class BuildConfigRenderer {
    public static final String SECRETS_DIR = "/var/run/secrets/atomic-reactor/";
    /** The key atomic-reactor reads its configuration from in the reactor ConfigMap. */
    public static final String REACTOR_CONFIG_KEY = "config.yaml";
    /** osbs-client's name for the orchestrator customize document in build_json_dir. */
    public static final String ORCHESTRATOR_CUSTOMIZE_CONF = "orchestrator_customize.json";

    private final Clock clock;
    private final RandomGenerator random;

    public BuildConfigRenderer(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Renders the BuildConfig for a valid request.
     *
     * @param dockerfile what is known about the Dockerfile: the base image becomes {@code base_image}
     *                   and {@code trigger_imagestreamtag}, the name label names the image stream
     */
    public RenderedBuildConfig render(BuildRequest request, Configuration config, DockerfileFacts dockerfile)
            throws InvalidBuildRequestException {
        BuildRequestValidator.requireValid(request, config);
        String name = BuildNames.buildConfigName(request.gitUri(), request.gitBranch());
        UserParams params = userParams(request, config, dockerfile, name, clock.instant());
        BuildConfigWire.Spec spec = new BuildConfigWire.Spec(
                config.orchestratorMaxRunHours() * 3600L,
                nodeSelector(request, config),
                new BuildConfigWire.Output(new BuildConfigWire.ObjectReference("DockerImage", params.imageTag())),
                Map.of(),
                new BuildConfigWire.Resources(limits(config)),
                "Serial",
                new BuildConfigWire.Source("Git", new BuildConfigWire.GitSource(request.gitUri(), request.gitRef())),
                new BuildConfigWire.Strategy("Custom", new BuildConfigWire.CustomStrategy(
                        new BuildConfigWire.ObjectReference("DockerImage", config.buildImage()),
                        true, env(config, params), secrets(config))),
                List.of());
        BuildConfigWire buildConfig = new BuildConfigWire("v1", "BuildConfig",
                new BuildConfigWire.ObjectMeta(name, config.namespace(), labels(request)), spec);
        return new RenderedBuildConfig(buildConfig, params);
    }

    private UserParams userParams(BuildRequest request, Configuration config, DockerfileFacts dockerfile,
                                  String name, Instant now) {
        Optional<String> baseImage = dockerfile.baseImage();
        int tagNumber = 10_000 + Math.floorMod(random.nextInt(), 90_000);
        String imageTag = BuildNames.imageTag(request.user(), request.component(), request.target(), tagNumber, now);
        // osbs-client named the image stream after the image's name label, '/' turned into '-';
        // a name label in the request wins over the Dockerfile's, as it does in the image.
        String imageName = Optional.ofNullable(request.labels().get("name")).or(dockerfile::nameLabel)
                .orElse(request.component());
        List<String> platforms = request.platforms().isEmpty()
                ? List.copyOf(config.platforms().keySet()) : request.platforms();
        return new UserParams(
                config.arrangementVersion(),
                baseImage.orElse(null),
                request.buildArgs(),
                config.buildImage(),
                config.buildJsonDir(),
                StepCatalog.ORCHESTRATOR,
                request.component(),
                ORCHESTRATOR_CUSTOMIZE_CONF,
                request.dockerfilePath(),
                request.gitBranch(),
                request.gitRef(),
                request.gitUri(),
                imageTag,
                imageName.replace('/', '-'),
                request.isolated(),
                request.target(),
                request.kojiTaskId(),
                request.labels(),
                name,
                platforms,
                config.reactorConfigMap().orElse(null),
                request.release(),
                request.scratch(),
                baseImage.orElse(null),
                request.user(),
                request.yumRepoUrls());
    }

    private static Map<String, String> labels(BuildRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("git-repo-name", BuildNames.labelValue(BuildNames.humanishName(request.gitUri())));
        labels.put("git-branch", BuildNames.labelValue(Objects.requireNonNullElse(request.gitBranch(), "unknown")));
        if (request.kojiTaskId() != null) {
            labels.put("koji-task-id", request.kojiTaskId().toString());
        }
        // Scratch and isolated builds are one-offs: never rebuilt when their base image changes.
        labels.put("is_autorebuild", Boolean.toString(!request.scratch() && !request.isolated()));
        if (request.scratch()) {
            labels.put("scratch", "true");
        }
        if (request.isolated()) {
            labels.put("isolated", "true");
            labels.put("isolated-release", BuildNames.labelValue(request.release()));
        }
        return labels;
    }

    private static Map<String, String> nodeSelector(BuildRequest request, Configuration config) {
        BuildKind kind = request.scratch() ? BuildKind.SCRATCH : request.isolated() ? BuildKind.ISOLATED : BuildKind.EXPLICIT;
        Map<String, String> selector = config.nodeSelector(kind);
        return selector.isEmpty() ? null : selector;
    }

    private static Map<String, String> limits(Configuration config) {
        Map<String, String> limits = new LinkedHashMap<>();
        config.cpuLimit().ifPresent(v -> limits.put("cpu", v));
        config.memoryLimit().ifPresent(v -> limits.put("memory", v));
        config.storageLimit().ifPresent(v -> limits.put("ephemeral-storage", v));
        return limits;
    }

    private static List<BuildConfigWire.EnvVar> env(Configuration config, UserParams params) {
        List<BuildConfigWire.EnvVar> env = new ArrayList<>();
        config.reactorConfigMap().ifPresent(map -> env.add(new BuildConfigWire.EnvVar("REACTOR_CONFIG", null,
                new BuildConfigWire.EnvVarSource(new BuildConfigWire.ConfigMapKeyRef(map, REACTOR_CONFIG_KEY)))));
        env.add(new BuildConfigWire.EnvVar("USER_PARAMS", params.toJson(), null));
        return env;
    }

    /** Every secret the configuration names, once each, in name order. */
    private static List<BuildConfigWire.SecretMount> secrets(Configuration config) {
        TreeSet<String> names = new TreeSet<>(config.registrySecrets());
        config.clientConfigSecret().ifPresent(names::add);
        config.kojiCertsSecret().ifPresent(names::add);
        return names.stream()
                .map(n -> new BuildConfigWire.SecretMount(SECRETS_DIR + n, new BuildConfigWire.SecretSource(n)))
                .toList();
    }
}
