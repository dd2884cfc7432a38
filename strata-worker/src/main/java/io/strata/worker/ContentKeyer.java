package io.strata.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.io.UrlCredentials;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.request.BuildRequest;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.worker.git.GitCheckout;
import io.strata.worker.git.ResolvedCommit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Makes the content key of a build before anything is checked out or built: the commit and its
 * tree from the ref through the repository's cache (fetched into it when new, which the checkout
 * then finds there), the Dockerfile read from the cache as one blob and its parents pinned through
 * the registry, then a SHA-256 over those, the build args, the plan (without its release label and
 * tag arguments: tags are not content), the request's labels and repos, the network policy, the
 * configured vendor and distribution scope, the platform and the builder's version. Everything
 * from which {@code add_labels_in_dockerfile} and the builder derive the image goes in, except the
 * per-build labels {@code release} and {@code build-date}.
 */
public final class ContentKeyer {
    /** The key's own version: bumped when what goes into it changes, so older keys never match. */
    static final int KEY_VERSION = 1;
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private final RegistryClient registry;
    private final String builderVersion;
    private final Configuration config;
    /** The sources of one expected build, resolved while the process was starting; taken by its key once. */
    private final Optional<SourcesAhead> ahead;

    /** @param builderVersion Strata's and buildah's versions: another builder may build other bytes */
    public ContentKeyer(Configuration config, RegistryClient registry, String builderVersion) {
        this(config, registry, builderVersion, Optional.empty());
    }

    /** As above, with the sources of the build the process expects, resolved ahead ({@link SourcesAhead}). */
    public ContentKeyer(Configuration config, RegistryClient registry, String builderVersion, Optional<SourcesAhead> ahead) {
        this.registry = registry;
        this.builderVersion = builderVersion;
        this.config = config;
        this.ahead = ahead;
    }

    /**
     * The key of a build of {@code request} (with its credentials, to reach the repository) on
     * {@code platform} by {@code planJson}; empty when its Dockerfile cannot be read or parsed, so
     * the build runs and fails with its usual message.
     */
    public Optional<ContentKey> key(BuildRequest request, Platform platform, String planJson, Consumer<String> log)
            throws StrataException {
        Optional<Sources> found = ahead.flatMap(sources -> sources.take(request, platform, log));
        if (found.isPresent()) {
            log.accept("the commit, the Dockerfile and its parents were resolved while the command started");
        } else {
            found = sources(config, registry, request, platform, log);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ResolvedCommit commit = found.get().commit();
        Dockerfile dockerfile = found.get().dockerfile();
        PinBaseImagesStep.Pins pins = found.get().pins();
        Map<String, Object> inputs = new TreeMap<>();
        inputs.put("key_version", KEY_VERSION);
        inputs.put("builder", builderVersion);
        // Assembled and buildah-built images of one Dockerfile hold the same files in other bytes:
        // forcing buildah (strata_builder = buildah) must not reuse an assembled image, nor the reverse.
        inputs.put("direct_assembly", config.directAssembly());
        inputs.put("platform", platform.toString());
        inputs.put("tree", commit.treeId());
        // The vcs-ref label names the commit: two commits with one tree still give two images.
        inputs.put("vcs_ref", commit.commitId());
        inputs.put("vcs_url", UrlCredentials.stripped(request.gitUri()));
        inputs.put("component", request.component());
        inputs.put("dockerfile_path", request.dockerfilePath());
        inputs.put("dockerfile", pins.dockerfile().content());
        inputs.put("parents", new TreeMap<>(pins.pinned()));
        inputs.put("build_args", new TreeMap<>(request.buildArgs()));
        inputs.put("labels", withoutPerBuildLabels(request.labels()));
        inputs.put("yum_repos", request.yumRepoUrls().stream().map(UrlCredentials::stripped).toList());
        inputs.put("network_policy", String.valueOf(request.networkPolicy()));
        inputs.put("vendor", config.vendor());
        inputs.put("distribution_scope", config.distributionScope());
        inputs.put("plan", contentPlan(planJson));
        return Optional.of(new ContentKey(sha256(inputs), commit.commitId(), commit.treeId(), pins.pinned(),
                BuildahBuildStep.runsCommands(dockerfile)));
    }

    /** What the key is made of that takes the repository and the registry to find: the commit, its Dockerfile, the pins. */
    record Sources(ResolvedCommit commit, Dockerfile dockerfile, PinBaseImagesStep.Pins pins) {}

    /**
     * The commit the request's ref names (fetched into the cache when new), its Dockerfile and that
     * file's parents pinned for {@code platform}; empty when the Dockerfile cannot be read or parsed,
     * so the build runs and fails with its usual message.
     */
    static Optional<Sources> sources(Configuration config, RegistryClient registry, BuildRequest request, Platform platform,
            Consumer<String> log) throws StrataException {
        Path gitCacheRoot = config.strata().gitCacheDir();
        ResolvedCommit commit = new GitCheckout(CheckOutSourceStep.cloneUri(request.gitUri()), request.gitRef(),
                gitCacheRoot.resolve("unused"), gitCacheRoot)
                .branch(request.gitBranch())
                .resolve(request.dockerfilePath());
        if (commit.file().isEmpty()) {
            return Optional.empty();
        }
        Dockerfile dockerfile;
        try {
            dockerfile = Dockerfile.parse(commit.file().get());
            dockerfile.requireBuildable();
        } catch (DockerfileException e) {
            return Optional.empty();
        }
        return Optional.of(new Sources(commit, dockerfile, PinBaseImagesStep.pin(dockerfile, request.buildArgs(), platform,
                request.dockerfilePath(), registry.reportingTo(log), log)));
    }

    /** The labels every build of a component gets alike: without release and build-date. */
    static Map<String, String> withoutPerBuildLabels(Map<String, String> labels) {
        Map<String, String> kept = new TreeMap<>(labels);
        kept.remove(AddLabelsStep.RELEASE);
        kept.remove("build-date");
        return kept;
    }

    /** The plan as it decides content: the release label and the tag arguments left out. */
    static String contentPlan(String planJson) throws StrataException {
        Plan plan = Plan.fromJson("the build's plan", planJson);
        return new Plan(plan.buildType(), plan.arrangementVersion(), plan.steps().stream().map(step -> switch (step.name()) {
            case "add_labels_in_dockerfile" -> step.withArg("labels", withoutPerBuildLabels(step.stringMapArg("labels")));
            case "tag_and_push" -> new PlanStep(step.name(), step.phase(), step.required(), step.allowedToFail(), Map.of());
            default -> step;
        }).toList()).toJson();
    }

    private static String sha256(Map<String, Object> inputs) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(inputs).getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("maps of strings always serialise, every JVM has SHA-256", e);
        }
    }
}
