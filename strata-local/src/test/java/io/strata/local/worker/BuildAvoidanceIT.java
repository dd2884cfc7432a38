package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildSummary;
import io.strata.local.avoid.AutorebuildPoller;
import io.strata.local.store.JdbcBuildStore;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.BuildParts;
import io.strata.testkit.GitRepoFixture;
import io.strata.worker.ContentKey;
import io.strata.worker.ContentKeyer;
import io.strata.worker.KojiMetadataValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.worker.buildah.BuildahOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build avoidance against real parts (docs/builds.md, "Build avoidance"): one real build, then a
 * scratch rebuild and a resubmission of its release that re-tag its image, a rebuild that gets a
 * new release as a new config over the same layers, and --no-cache, which builds again. The
 * durations (first to last state change) are printed for docs/benchmarks.md; no test asserts on time.
 *
 * <p>And autorebuild ("Autorebuild"), which rests on the same parts: a component built on a base
 * image tagged {@code base/moving:latest}, a policy for it, the service running its queue and its
 * poller (every second here); a new image pushed under the base's tag makes the service submit and
 * build exactly one autorebuild, pinned to the new base's digest, whose record names the change.
 */
class BuildAvoidanceIT {
    static BuildParts parts;

    @TempDir
    Path home;

    @BeforeAll
    static void startRealParts() {
        parts = BuildParts.start();
    }

    @AfterAll
    static void stopRealParts() {
        if (parts != null) {
            parts.close();
        }
    }

    static final String DOCKERFILE = """
            FROM %s
            LABEL name="avoid/hello" version="1.0"
            RUN echo built > /built.txt
            """;

    Configuration config() throws Exception {
        return config(Map.of());
    }

    Configuration config(Map<String, String> overrides) throws Exception {
        Path authFile = java.nio.file.Files.writeString(home.resolve("auth.json"), "{\"auths\": {}}");
        ConfigSource source = new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home)
                .withOverride("registry_uri", "http://" + parts.registry().host() + "/v2")
                .withOverride("strata_home", home.resolve("strata").toString())
                .withOverride("strata_registry_auth_file", authFile.toString());
        for (var override : overrides.entrySet()) {
            source = source.withOverride(override.getKey(), override.getValue());
        }
        return ConfigLoader.load(source).config();
    }

    BuildRecord build(Configuration config, BuildRequest request) throws Exception {
        Plan plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
        var options = BuildahOptions.privateStorage(parts.buildah().storageRoot(), parts.buildah().runRoot());
        try (LocalServices services = LocalServices.open(config, options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            SubmittedBuild submitted = services.builds().submit(request, config, plan);
            return services.builds().run(submitted, event -> { });
        }
    }

    List<String> log(Configuration config, BuildRecord record) throws Exception {
        try (LocalServices services = LocalServices.openRecords(config, System.err)) {
            return services.store().logs(record.id(), 0, 10_000).stream().map(LogLine::text).toList();
        }
    }

    /** A client of the test registry, to look at what the builds pushed. */
    static RegistryClient registryClient() {
        return new RegistryClient(RegistryClientConfig.defaults().withInsecureRegistries(Set.of(parts.registry().host())));
    }

    static Duration duration(BuildRecord record) {
        return Duration.between(record.transitions().getFirst().at(), record.transitions().getLast().at());
    }

    BuildRequest.Builder request(GitRepoFixture repo) {
        return BuildRequest.builder().component("avoid-hello").gitUri(repo.uri().toString()).gitRef(repo.head())
                .gitBranch("main").user("tester");
    }

    @Test
    void rebuildsOfTheSameInputsReuseTheImageOrWriteOnlyANewConfig() throws Exception {
        Configuration config = config();
        try (GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"));
                RegistryClient registry = registryClient()) {
            repo.write("Dockerfile", DOCKERFILE.formatted(parts.baseImage()));
            repo.commit("initial");

            BuildRecord first = build(config, request(repo).build());
            assertThat(first.state()).as(first.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(first.contentKey()).hasValueSatisfying(key -> assertThat(key).startsWith("sha256:"));
            assertThat(first.reusedFrom()).isEmpty();
            assertThat(first.configOnlyFrom()).isEmpty();
            ImageOutput built = first.outputs().getFirst();
            assertThat(built.labels()).containsEntry("release", "1");

            // A scratch build of the same inputs: the image re-tagged, nothing checked out or built.
            BuildRecord scratch = build(config, request(repo).scratch(true).build());
            assertThat(scratch.state()).as(scratch.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(scratch.reusedFrom()).contains(first.id());
            assertThat(scratch.steps()).isEmpty();
            assertThat(scratch.commitId()).contains(repo.head());
            assertThat(scratch.contentKey()).isEqualTo(first.contentKey());
            ImageOutput reused = scratch.outputs().getFirst();
            assertThat(reused.digest()).isEqualTo(built.digest());
            assertThat(reused.tags()).containsExactly("build-" + scratch.id().value() + "-" + Platform.current().kojiArch());
            assertThat(parts.registry().tags("avoid/hello")).contains(reused.tags().getFirst());
            assertThat(log(config, scratch)).noneMatch(line -> line.contains("STEP"));
            assertOwnKojiMetadata(scratch, first, "reused", "1", repo.head());

            // A resubmission of release 1: instead of RELEASE_ALREADY_BUILT, the same image.
            BuildRecord resubmitted = build(config, request(repo).release("1").build());
            assertThat(resubmitted.state()).as(resubmitted.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(resubmitted.reusedFrom()).contains(first.id());
            assertThat(resubmitted.outputs().getFirst().digest()).isEqualTo(built.digest());
            assertThat(resubmitted.outputs().getFirst().tags()).contains("1.0-1");
            assertOwnKojiMetadata(resubmitted, first, "reused", "1", repo.head());

            // A rebuild without a release: release 2, a new config and manifest over the very same layers.
            BuildRecord rebuilt = build(config, request(repo).build());
            assertThat(rebuilt.state()).as(rebuilt.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(rebuilt.configOnlyFrom()).contains(first.id());
            assertThat(rebuilt.steps()).isEmpty();
            ImageOutput configOnly = rebuilt.outputs().getFirst();
            assertThat(configOnly.digest()).isNotEqualTo(built.digest());
            assertThat(configOnly.layerDigests()).isEqualTo(built.layerDigests());
            assertThat(configOnly.tags()).contains("1.0-2");
            assertThat(configOnly.labels()).containsEntry("release", "2");
            ImageReference pushed = ImageReference.parse(configOnly.pullspec());
            assertThat(registry.labels(pushed, Platform.current())).hasValueSatisfying(labels -> {
                assertThat(labels).containsEntry("release", "2").containsEntry("name", "avoid/hello")
                        .containsEntry("vcs-ref", repo.head());
                assertThat(labels.get("build-date")).isNotEqualTo(built.labels().get("build-date"));
            });
            assertThat(registry.manifest(pushed).layerDigests()).isEqualTo(built.layerDigests());
            JsonNode configOnlyKoji = assertOwnKojiMetadata(rebuilt, first, "config_only", "2", repo.head());
            // Its own image: the new config's id, not the first build's.
            assertThat("sha256:" + configOnlyKoji.at("/output/0/extra/docker/id").asText())
                    .isEqualTo(registry.manifest(pushed).config().digest())
                    .isNotEqualTo("sha256:" + koji(first).at("/output/0/extra/docker/id").asText());

            // --no-cache builds again (and gets the next release).
            BuildRecord forced = build(config, request(repo).noCache(true).build());
            assertThat(forced.state()).as(forced.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(forced.reusedFrom()).isEmpty();
            assertThat(forced.configOnlyFrom()).isEmpty();
            assertThat(forced.steps()).isNotEmpty();
            assertThat(forced.outputs().getFirst().labels()).containsEntry("release", "3");

            // Another component with the same name label holds 1.0-5: a new release 5 of this one over its layers is refused.
            BuildRecord other = build(config, request(repo).component("avoid-other").release("5").build());
            assertThat(other.state()).as(other.failure().toString()).isEqualTo(BuildState.COMPLETE);
            BuildRecord taken = build(config, request(repo).release("5").build());
            assertThat(taken.state()).isEqualTo(BuildState.FAILED);
            assertThat(taken.failure().orElseThrow().reason()).isEqualTo("PRIMARY_TAG_TAKEN");
            assertThat(registry.labels(ImageReference.parse(parts.registry().reference("avoid/hello:1.0-5")), Platform.current()))
                    .hasValueSatisfying(labels -> assertThat(labels).containsEntry("com.redhat.component", "avoid-other"));

            System.out.printf("build avoidance: first build %d ms, scratch reuse %d ms, resubmission %d ms,"
                            + " config-only %d ms, --no-cache %d ms%n", duration(first).toMillis(), duration(scratch).toMillis(),
                    duration(resubmitted).toMillis(), duration(rebuilt).toMillis(), duration(forced).toMillis());
        }
    }

    static JsonNode koji(BuildRecord record) throws Exception {
        return new ObjectMapper().readTree(record.kojiMetadata().orElseThrow(
                () -> new AssertionError("build " + record.id() + " has no Koji metadata")));
    }

    /**
     * A build that built nothing has a Koji metadata document of its own, as complete as a built
     * one's: its build id, NVR, image and tags, the commit, no builder among the tools, and the image
     * of {@code origin} it came from.
     */
    static JsonNode assertOwnKojiMetadata(BuildRecord record, BuildRecord origin, String kind, String release, String commit)
            throws Exception {
        String json = record.kojiMetadata().orElseThrow(() -> new AssertionError("build " + record.id() + " has no Koji metadata"));
        assertThat(KojiMetadataValidator.problems(json)).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(json);
        ImageOutput output = record.outputs().getFirst();
        ImageOutput originOutput = origin.outputs().getFirst();
        assertThat(doc.at("/build/name").asText()).isEqualTo("avoid-hello");
        assertThat(doc.at("/build/version").asText()).isEqualTo("1.0");
        assertThat(doc.at("/build/release").asText()).isEqualTo(release);
        assertThat(doc.at("/build/source").asText()).endsWith("#" + commit);
        assertThat(doc.at("/build/extra/strata_build_id").asText()).isEqualTo(record.id().value());
        assertThat(doc.at("/build/extra/strata_reused_from/kind").asText()).isEqualTo(kind);
        assertThat(doc.at("/build/extra/strata_reused_from/build_id").asText()).isEqualTo(origin.id().value());
        assertThat(doc.at("/build/extra/strata_reused_from/image").asText()).isEqualTo(originOutput.pullspec());
        assertThat(doc.at("/build/extra/image/index/pull/0").asText()).isEqualTo(output.pullspec());
        assertThat(doc.at("/output/0/checksum").asText()).isEqualTo(output.digest().substring("sha256:".length()));
        List<String> tags = new java.util.ArrayList<>();
        doc.at("/output/0/extra/docker/tags").forEach(tag -> tags.add(tag.asText()));
        assertThat(tags).isEqualTo(output.tags());
        assertThat(doc.at("/output/0/extra/docker/config/config/Labels/release").asText()).isEqualTo(release);
        List<String> tools = new java.util.ArrayList<>();
        doc.at("/buildroots/0/tools").forEach(tool -> tools.add(tool.path("name").asText()));
        assertThat(tools).containsExactly("strata");
        assertThat(doc.at("/build/extra/strata_network").isMissingNode()).as("no RUN step ran: no network").isTrue();
        assertThat(koji(origin).at("/build/extra/strata_reused_from").isMissingNode()).isTrue();
        return doc;
    }

    /** The earlier image deleted from the registry: the same inputs are built again, and the log says why. */
    @Test
    void anEarlierImageNoLongerInTheRegistryIsBuiltAgain() throws Exception {
        Configuration config = config();
        try (GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"));
                RegistryClient registry = registryClient()) {
            repo.write("Dockerfile", DOCKERFILE.formatted(parts.baseImage()).replace("avoid/hello", "avoid/gone"));
            repo.commit("initial");
            BuildRecord first = build(config, request(repo).scratch(true).build());
            assertThat(first.state()).as(first.failure().toString()).isEqualTo(BuildState.COMPLETE);
            ImageOutput built = first.outputs().getFirst();

            assertThat(registry.deleteManifest(ImageReference.parse(built.repository()), built.digest())).isTrue();
            BuildRecord again = build(config, request(repo).scratch(true).build());

            assertThat(again.state()).as(again.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(again.reusedFrom()).isEmpty();
            assertThat(again.steps()).isNotEmpty();
            assertThat(again.contentKey()).isEqualTo(first.contentKey());
            assertThat(log(config, again)).anyMatch(line -> line.contains("build " + first.id()
                    + " had the same content key, but its image " + built.pullspec() + " is no longer in the registry"));
        }
    }

    @Test
    void theKeyChangesWithTheCommitsTreeAndTheBuildArgsButNotWithTheRelease() throws Exception {
        Configuration config = config();
        try (GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"));
                RegistryClient registry = registryClient()) {
            repo.write("Dockerfile", "ARG TAG\n" + DOCKERFILE.formatted(parts.baseImage()));
            repo.commit("initial");
            ContentKeyer keyer = new ContentKeyer(config, registry, "test-builder");
            BuildRequest request = request(repo).build();
            ContentKey first = key(keyer, config, request);
            assertThat(first.commitId()).isEqualTo(repo.head());
            assertThat(first.pinnedParents()).containsKey(parts.baseImage());

            assertThat(key(keyer, config, request).value()).isEqualTo(first.value());
            assertThat(key(keyer, config, request.toBuilder().release("7").scratch(true).build()).value())
                    .isEqualTo(first.value());
            assertThat(key(keyer, config, request.toBuilder().buildArgs(Map.of("TAG", "x")).build()).value())
                    .isNotEqualTo(first.value());
            assertThat(key(new ContentKeyer(config, registry, "another-builder"), config, request).value())
                    .isNotEqualTo(first.value());

            repo.write("file.txt", "a new file\n");
            repo.commit("second");
            ContentKey changed = key(keyer, config, request(repo).build());
            assertThat(changed.treeId()).isNotEqualTo(first.treeId());
            assertThat(changed.value()).isNotEqualTo(first.value());
        }
    }

    static ContentKey key(ContentKeyer keyer, Configuration config, BuildRequest request) throws Exception {
        Plan plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
        return keyer.key(request, Platform.current(), plan.toJson(), line -> { }).orElseThrow();
    }

    @Test
    void aNewBaseImageMakesTheServiceRebuildTheDependentOnTheNewDigest() throws Exception {
        String movingTag = "base/moving:latest";
        String oldDigest = pushBase(movingTag, "first");
        String moving = parts.registry().reference(movingTag);
        Configuration config = config(Map.of("strata_autorebuild_interval", "1", "strata_autorebuild_registry_rate", "600"));
        var diagnostics = new ByteArrayOutputStream();
        var options = BuildahOptions.privateStorage(parts.buildah().storageRoot(), parts.buildah().runRoot());
        try (GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"));
                LocalServices services = LocalServices.open(config, options, new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
                RegistryClient registry = registryClient()) {
            repo.write("Dockerfile", "FROM " + moving + "\nLABEL name=auto/app version=1\nRUN echo app > /app.txt\n");
            repo.commit("app");
            BuildRequest request = BuildRequest.builder().component("auto-app").gitUri(repo.uri().toString())
                    .gitRef("main").gitBranch("main").user("alice").build();
            Plan plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
            BuildRecord first = services.builds().run(services.builds().submit(request, config, plan), event -> { });
            assertThat(first.state()).as(first.failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(first.outputs().getFirst().parentImages()).containsEntry(moving,
                    parts.registry().host() + "/base/moving@" + oldDigest);

            JdbcBuildStore store = (JdbcBuildStore) services.store();
            assertThat(store.autorebuilds().enable("auto-app", "main", Optional.of("alice"))).isTrue();
            var poller = new AutorebuildPoller(store, store.autorebuilds(), store.avoidance(), services.builds(), registry,
                    Duration.ofSeconds(1), 600, Clock.systemUTC(), System.err);
            assertThat(poller.pollOnce()).as("nothing changed yet").isEmpty();

            services.startScheduler();
            String newDigest = pushBase(movingTag, "second");
            assertThat(newDigest).isNotEqualTo(oldDigest);

            BuildRecord rebuilt = awaitAutorebuild(services, first);
            assertThat(rebuilt.state()).as(rebuilt.failure() + "\n" + diagnostics.toString(StandardCharsets.UTF_8))
                    .isEqualTo(BuildState.COMPLETE);
            assertThat(rebuilt.autorebuildCause()).hasValue(moving + ": " + oldDigest + " -> " + newDigest);
            assertThat(rebuilt.outputs().getFirst().parentImages()).containsEntry(moving,
                    parts.registry().host() + "/base/moving@" + newDigest);
            assertThat(rebuilt.outputs().getFirst().labels()).containsEntry("release", "2");
            assertThat(rebuilt.reusedFrom()).isEmpty();
            assertThat(rebuilt.configOnlyFrom()).isEmpty();
            assertThat(rebuilt.request().user()).isEqualTo("alice");
            // The rebuild is pinned to the new base: nothing more to rebuild, and only one autorebuild ran.
            assertThat(poller.pollOnce()).isEmpty();
            assertThat(autorebuilds(services)).hasSize(1);
        }
    }

    /** Waits (as long as the build takes; no time limit asserted) for the autorebuild to be submitted and end. */
    static BuildRecord awaitAutorebuild(LocalServices services, BuildRecord first) throws Exception {
        while (true) {
            List<BuildRecord> autorebuilds = autorebuilds(services);
            if (!autorebuilds.isEmpty() && autorebuilds.getFirst().state().isTerminal()) {
                return autorebuilds.getFirst();
            }
            Thread.sleep(200);
        }
    }

    static List<BuildRecord> autorebuilds(LocalServices services) throws Exception {
        List<BuildRecord> found = new java.util.ArrayList<>();
        for (BuildSummary summary : services.store().list(new BuildQuery(Optional.of("auto-app"), Optional.empty(), 50))) {
            services.store().find(summary.id()).filter(r -> r.autorebuildCause().isPresent()).ifPresent(found::add);
        }
        return found;
    }

    /** Pushes a busybox image with a label of its own under {@code tag}: another digest each time. */
    static String pushBase(String tag, String mark) throws Exception {
        var buildah = parts.buildah();
        String container = buildah.buildah("from", "--tls-verify=false", "docker://" + parts.baseImage()).strip();
        try {
            buildah.buildah("config", "--label", "mark=" + mark, container);
            buildah.buildah("commit", "--quiet", container, "localhost/moving-" + mark);
        } finally {
            buildah.buildah("rm", container);
        }
        Path digestFile = Files.createTempFile("digest", ".txt");
        try {
            buildah.buildah("push", "--tls-verify=false", "--digestfile", digestFile.toString(), "localhost/moving-" + mark,
                    "docker://" + parts.registry().reference(tag));
            return Files.readString(digestFile).strip();
        } finally {
            Files.deleteIfExists(digestFile);
        }
    }
}
