package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StepOutcome;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.local.buildah.BuildahOptions;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole local builds against real parts: a distribution registry with htpasswd auth, buildah with
 * private storage, a busybox base image made here, git repositories made with JGit. Every result
 * is checked independently with skopeo.
 */
class LocalBuildIT {
    static final String BASE = "base/busybox:1";

    static RegistryFixture registry;
    static BuildahFixture buildah;
    static String baseImage;
    static String baseDigest;

    @TempDir
    Path home;

    @BeforeAll
    static void startRealParts() {
        registry = RegistryFixture.start();
        buildah = BuildahFixture.create();
        baseDigest = buildah.makeBusyboxBaseImage(BASE, registry);
        baseImage = registry.reference(BASE);
    }

    @AfterAll
    static void stopRealParts() {
        if (buildah != null) {
            buildah.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    static final String DOCKERFILE = """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            LABEL name="test/hello" version="2.1"
            ENV GREETING=hi
            RUN echo built > /built.txt
            CMD ["/bin/sh"]
            """;

    record Built(BuildRecord record, List<LogLine> log, String diagnostics, Path workspaces) {}

    Built build(GitRepoFixture repo, BuildRequest.Builder request, Map<String, String> overrides) throws Exception {
        Path authFile = registry.writeAuthFile(home.resolve("auth.json"));
        ConfigSource source = new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home)
                .withOverride("registry_uri", "http://" + registry.host() + "/v2")
                .withOverride("strata_home", home.resolve("strata").toString())
                .withOverride("strata_registry_auth_file", authFile.toString())
                .withOverride("vendor", "Strata Tests");
        for (var e : overrides.entrySet()) {
            source = source.withOverride(e.getKey(), e.getValue());
        }
        Configuration config = ConfigLoader.load(source).config();
        BuildRequest req = request.build();
        Plan plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(req, config));
        var diagnostics = new ByteArrayOutputStream();
        var options = BuildahOptions.privateStorage(buildah.storageRoot(), buildah.runRoot());
        try (LocalEngine engine = LocalEngine.open(config, options, new PrintStream(diagnostics, true, StandardCharsets.UTF_8))) {
            SubmittedBuild submitted = engine.builds().submit(req, config, plan);
            List<io.strata.core.event.BuildEvent> events = new ArrayList<>();
            BuildRecord done = engine.builds().run(submitted, events::add);
            List<LogLine> log = engine.store().logs(done.id(), 0, 100_000);
            return new Built(done, log, diagnostics.toString(StandardCharsets.UTF_8), config.strata().home().resolve("workspaces"));
        }
    }

    GitRepoFixture repoWith(String dockerfile) {
        GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"));
        repo.write("Dockerfile", dockerfile);
        repo.commit("initial");
        return repo;
    }

    BuildRequest.Builder request(GitRepoFixture repo, String component) {
        return BuildRequest.builder().component(component).gitUri(repo.uri().toString()).gitRef(repo.head())
                .gitBranch("main").buildArgs(Map.of("BASE_IMAGE", baseImage)).user("tester");
    }

    @Test
    void buildsPinsLabelsPushesAndRecordsAnImage() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE)) {
            Built built = build(repo, request(repo, "hello"), Map.of());

            assertThat(built.record().failure()).isEmpty();
            assertThat(built.record().state()).isEqualTo(BuildState.COMPLETE);
            ImageOutput out = built.record().outputs().get(0);
            assertThat(out.repository()).isEqualTo(registry.host() + "/test/hello");
            assertThat(out.tags()).contains("2.1-1", "latest");
            assertThat(out.tags().get(0)).startsWith("build-" + built.record().id().value());
            assertThat(out.parentImages()).containsEntry(baseImage, registry.host() + "/base/busybox@" + baseDigest);
            assertThat(built.record().commitId()).contains(repo.head());

            JsonNode inspected = registry.skopeoInspect("test/hello:2.1-1");
            assertThat(inspected.path("Digest").asText()).isEqualTo(out.digest());
            JsonNode labels = inspected.path("Labels");
            assertThat(labels.path("com.redhat.component").asText()).isEqualTo("hello");
            assertThat(labels.path("name").asText()).isEqualTo("test/hello");
            assertThat(labels.path("release").asText()).isEqualTo("1");
            assertThat(labels.path("vcs-ref").asText()).isEqualTo(repo.head());
            assertThat(labels.path("vendor").asText()).isEqualTo("Strata Tests");
            assertThat(labels.path("architecture").asText()).isEqualTo("x86_64");
            assertThat(inspected.path("Env").toString()).contains("GREETING=hi");
            assertThat(registry.skopeoInspect("test/hello:latest").path("Digest").asText()).isEqualTo(out.digest());

            assertThat(built.record().steps()).extracting(s -> s.step() + "=" + s.outcome()).containsExactly(
                    "check_out_source=SUCCEEDED", "pin_base_images=SUCCEEDED", "add_labels_in_dockerfile=SUCCEEDED",
                    "inject_yum_repos=SUCCEEDED", "add_build_env=SUCCEEDED", "buildah_build=SUCCEEDED",
                    "tag_and_push=SUCCEEDED", "gather_image_content=SUCCEEDED", "export_koji_metadata=SUCCEEDED");
            assertThat(built.log()).extracting(LogLine::text).anyMatch(line -> line.contains("RUN echo built"));
            assertThat(built.record().kojiMetadata()).hasValueSatisfying(json -> {
                assertThat(KojiMetadataValidator.problems(json)).isEmpty();
                assertThat(json).contains("\"release\" : \"1\"").contains(out.digest());
            });
            assertThat(String.join("\n", built.log().stream().map(LogLine::text).toList())).doesNotContain(registry.password());
            assertThat(built.workspaces()).isEmptyDirectory();

            Built second = build(repo, request(repo, "hello"), Map.of());
            assertThat(second.record().outputs().get(0).tags()).contains("2.1-2");
        }
    }

    @Test
    void yumRepoFilesAreUsableDuringTheBuildButNotInTheImage() throws Exception {
        Path repoFile = home.resolve("served/strata-test.repo");
        Files.createDirectories(repoFile.getParent());
        Files.writeString(repoFile, "[strata-test]\nbaseurl=http://repo.example/x86_64\n");
        String dockerfile = DOCKERFILE.replace("test/hello", "test/repos")
                .replace("RUN echo built > /built.txt", "RUN cat /etc/yum.repos.d/strata-test.repo && cp /etc/yum.repos.d/strata-test.repo /seen.repo");
        try (GitRepoFixture repo = repoWith(dockerfile)) {
            Built built = build(repo, request(repo, "repos").yumRepoUrls(List.of(repoFile.toUri().toString())), Map.of());

            assertThat(built.record().state()).as(built.record().failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(built.log()).extracting(LogLine::text).contains("baseurl=http://repo.example/x86_64");
            String image = built.record().outputs().get(0).pullspec();
            String container = buildah.buildah("from", "--tls-verify=false", "--authfile", home.resolve("auth.json").toString(), image).strip();
            try {
                assertThat(buildah.buildah("run", "--isolation", "chroot", container, "--", "cat", "/seen.repo"))
                        .contains("[strata-test]");
                assertThat(buildah.buildah("run", "--isolation", "chroot", container, "--", "ls", "-A", "/etc/yum.repos.d")).isBlank();
            } finally {
                buildah.buildah("rm", container);
            }
        }
    }

    @Test
    void scratchBuildsGetOnlyTheUniqueTag() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE.replace("test/hello", "test/scratchy"))) {
            Built built = build(repo, request(repo, "scratchy").scratch(true), Map.of());
            assertThat(built.record().state()).isEqualTo(BuildState.COMPLETE);
            assertThat(registry.tags("test/scratchy")).hasSize(1)
                    .allMatch(tag -> tag.startsWith("build-"));
        }
    }

    void assertFailed(Built built, String reason, String repository) {
        assertThat(built.record().state()).isEqualTo(BuildState.FAILED);
        assertThat(built.record().failure()).hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(reason));
        assertThat(built.workspaces()).satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
        if (repository != null) {
            assertThat(registry.tags(repository)).isEmpty();
        }
    }

    @Test
    void unreachableGitUriFails() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE)) {
            Built built = build(repo, request(repo, "hello").gitUri(home.resolve("nowhere").toUri().toString()), Map.of());
            assertFailed(built, "GIT_UNREACHABLE", null);
        }
    }

    @Test
    void unknownRefFails() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE)) {
            Built built = build(repo, request(repo, "hello").gitRef("no-such-branch"), Map.of());
            assertFailed(built, "GIT_REF_NOT_FOUND", null);
            assertThat(built.record().failure().orElseThrow().message()).contains("no-such-branch");
        }
    }

    @Test
    void dockerfileSyntaxErrorFailsWithItsLine() throws Exception {
        try (GitRepoFixture repo = repoWith("FROM busybox\nENV ONLYKEY\n")) {
            Built built = build(repo, request(repo, "hello"), Map.of());
            assertFailed(built, "DOCKERFILE_INVALID", null);
            assertThat(built.record().failure().orElseThrow().message()).contains("Dockerfile:2");
        }
    }

    @Test
    void globalArgsExpandInFromWithTheRequestsBuildArgsOverriding() throws Exception {
        String dockerfile = "ARG REG=nowhere.invalid\nARG BASE=${REG}/" + BASE + "\nFROM ${BASE}\n"
                + "LABEL name=\"test/globalargs\" version=\"1\"\nRUN true\n";
        try (GitRepoFixture repo = repoWith(dockerfile)) {
            Built built = build(repo, request(repo, "globalargs").buildArgs(Map.of("REG", registry.host())), Map.of());

            assertThat(built.record().failure()).isEmpty();
            assertThat(built.record().outputs().get(0).parentImages())
                    .containsEntry(baseImage, registry.host() + "/base/busybox@" + baseDigest);
        }
    }

    @Test
    void whatTheBuildRefusesFailsAtCheckoutWithItsLine() throws Exception {
        try (GitRepoFixture repo = repoWith("FROM busybox\nAPT-GET install x\n")) {
            Built built = build(repo, request(repo, "hello"), Map.of());
            assertFailed(built, "DOCKERFILE_INVALID", null);
            assertThat(built.record().failure().orElseThrow().message())
                    .isEqualTo("check_out_source: Dockerfile:2: unknown instruction: APT-GET");
            assertThat(built.record().failure().orElseThrow().hint()).startsWith("check the spelling");
        }
    }

    @Test
    void missingRequiredLabelFails() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE.replace(" version=\"2.1\"", "").replace("test/hello", "test/noversion"))) {
            Built built = build(repo, request(repo, "hello"), Map.of());
            assertFailed(built, "MISSING_REQUIRED_LABEL", "test/noversion");
            assertThat(built.record().failure().orElseThrow().message()).contains("version");
        }
    }

    @Test
    void baseImageNotFoundFails() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE)) {
            Built built = build(repo, request(repo, "hello").buildArgs(Map.of("BASE_IMAGE", registry.reference("base/missing:1"))), Map.of());
            assertFailed(built, "IMAGE_NOT_FOUND", null);
            assertThat(built.record().failure().orElseThrow().message()).contains("base/missing");
        }
    }

    @Test
    void failingRunStepFailsTheBuildAndPushesNothing() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE.replace("echo built > /built.txt", "exit 7").replace("test/hello", "test/runfails"))) {
            Built built = build(repo, request(repo, "hello"), Map.of());
            assertFailed(built, "BUILD_FAILED", "test/runfails");
            assertThat(built.record().steps()).extracting(s -> s.step() + "=" + s.outcome())
                    .contains("buildah_build=" + StepOutcome.FAILED).doesNotContain("tag_and_push=SUCCEEDED");
        }
    }

    @Test
    void registryRefusingTheCredentialsFails() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE.replace("test/hello", "test/badcreds"))) {
            Path badAuth = home.resolve("bad-auth.json");
            Files.writeString(badAuth, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
                    + java.util.Base64.getEncoder().encodeToString("strata-test:wrong-password".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            Built built = build(repo, request(repo, "hello"), Map.of("strata_registry_auth_file", badAuth.toString()));
            assertThat(built.record().state()).isEqualTo(BuildState.FAILED);
            assertThat(built.record().failure().orElseThrow().reason()).isIn("REGISTRY_AUTH_FAILED", "PUSH_AUTH_FAILED");
            assertThat(built.record().failure().orElseThrow().message()).doesNotContain("wrong-password");
            assertThat(registry.tags("test/badcreds")).isEmpty();
        }
    }

    @Test
    void registryUnreachableFails() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE); var refusing = io.strata.testkit.RefusingPort.open()) {
            Built built = build(repo, request(repo, "hello"), Map.of("registry_uri", "http://127.0.0.1:" + refusing.port() + "/v2"));
            assertThat(built.record().state()).isEqualTo(BuildState.FAILED);
            assertThat(built.record().failure().orElseThrow().reason()).isEqualTo("REGISTRY_UNREACHABLE");
        }
    }
}
