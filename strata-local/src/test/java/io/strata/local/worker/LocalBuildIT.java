package io.strata.local.worker;

import io.strata.worker.KojiMetadataValidator;

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
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.registry.Referrers;
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
import java.util.concurrent.CompletableFuture;
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
        return build(repo, request, overrides, event -> { });
    }

    /** A build whose events {@code watcher} sees as they happen, on the build's thread. */
    Built build(GitRepoFixture repo, BuildRequest.Builder request, Map<String, String> overrides, BuildListener watcher)
            throws Exception {
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
        try (LocalServices engine = LocalServices.open(config, options, new PrintStream(diagnostics, true, StandardCharsets.UTF_8))) {
            SubmittedBuild submitted = engine.builds().submit(req, config, plan);
            List<io.strata.core.event.BuildEvent> events = new ArrayList<>();
            BuildRecord done = engine.builds().run(submitted, event -> {
                events.add(event);
                watcher.on(event);
            });
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
                    "tag_and_push=SUCCEEDED", "gather_image_content=SUCCEEDED", "attach_sbom=SUCCEEDED",
                    "attach_provenance=SUCCEEDED", "export_koji_metadata=SUCCEEDED");
            assertThat(built.log()).extracting(LogLine::text).anyMatch(line -> line.contains("RUN echo built"))
                    // The build's own layer was read from buildah's storage, not downloaded back after the push.
                    .contains("the image's layers hold no rpm or dpkg database (read from local storage): nothing to list,"
                            + " no working container")
                    .anyMatch(line -> line.matches("SBOM: 0 OS packages \\(0 rpm\\), [1-9][0-9]* files added by the build's layers, 1 parent images"));
            // Strata's labels were written into the pushed config, not built as a step: the image id the
            // Koji metadata gives is that config's, and the config holds them.
            String configDigest = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(registry.skopeoInspectRaw("test/hello:2.1-1")).path("config").path("digest").asText();
            assertThat(built.record().kojiMetadata()).hasValueSatisfying(json -> {
                assertThat(KojiMetadataValidator.problems(json)).isEmpty();
                assertThat(json).contains("\"release\" : \"1\"").contains(out.digest())
                        .contains("\"id\" : \"" + configDigest.substring("sha256:".length()) + "\"");
            });
            assertThat(new String(registry.blob("test/hello", configDigest), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"release\":\"1\"").contains("labels set by Strata");
            assertThat(built.log()).extracting(LogLine::text).noneMatch(line -> line.startsWith("pushing with buildah"))
                    // buildah's warning about platform args nobody passed, which --platform brought on a native build
                    .noneMatch(line -> line.contains("build args were not consumed"));
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
            // The referrers tag (sha256-<hex>, the index of the image's SBOM and provenance) names no image.
            assertThat(registry.tags("test/scratchy")).filteredOn(tag -> !tag.startsWith("sha256-")).hasSize(1)
                    .allMatch(tag -> tag.startsWith("build-"));
            assertThat(registry.tags("test/scratchy")).contains(Referrers.referrersTag(built.record().outputs().getFirst().digest()));
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
            assertNothingOfTheBuildRemains(built);
        }
    }

    /** No working container, mount or workspace of the build is left behind. */
    void assertNothingOfTheBuildRemains(Built built) throws Exception {
        assertThat(buildah.buildah("containers", "--all", "--quiet")).as("buildah working containers").isBlank();
        assertThat(Files.readAllLines(Path.of("/proc/self/mounts")))
                .as("mounts under the buildah storage").noneMatch(line -> line.contains(buildah.storageRoot().toString()));
        assertThat(built.workspaces()).satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
    }

    /**
     * Runs a build on its own thread and interrupts it, as Ctrl-C does, once {@code reached} has seen
     * its event and {@code settle} has returned.
     */
    Built buildCancelledAfter(GitRepoFixture repo, String component, java.util.function.Predicate<BuildEvent> reached,
            Runnable settle) throws Exception {
        CompletableFuture<Void> there = new CompletableFuture<>();
        CompletableFuture<Built> result = new CompletableFuture<>();
        Thread builder = Thread.ofPlatform().start(() -> {
            try {
                result.complete(build(repo, request(repo, component), Map.of(), event -> {
                    if (reached.test(event)) {
                        there.complete(null);
                    }
                }));
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        // A build that ends before it gets there fails the test with what it did, instead of leaving it waiting for ever.
        CompletableFuture.anyOf(there, result).get();
        if (!there.isDone()) {
            Built ended = result.get();
            throw new AssertionError("the build ended " + ended.record().state() + " before the awaited event; failure "
                    + ended.record().failure() + "; last log lines " + ended.log().subList(Math.max(0, ended.log().size() - 15),
                    ended.log().size()).stream().map(LogLine::text).toList());
        }
        settle.run();
        builder.interrupt();
        Built built = result.get();
        builder.join();
        return built;
    }

    /** The RUN step's sleep in the cancelled build: a duration no other test sleeps for, so its process is this one's. */
    private static final int CANCELLED_SLEEP = 613;

    /**
     * Waits (at most a minute) until a process's command line holds {@code command}: the command itself, or the shell
     * running it ({@code sh -c '... && sleep 613'}; busybox's shell may run {@code sleep} without a process of its own).
     */
    static void awaitProcess(String command) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (io.strata.testkit.ProcessTable.commandLinesContaining(command).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no process ran " + command + " within a minute");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aCancelDuringARunStepLeavesNoContainerMountOrWorkspace() throws Exception {
        // The RUN step's own output is not waited for: buildah's chroot isolation loses a line of a RUN step's output
        // now and then on a loaded host, and this test then waited for ever (CI, 2026-12-03). buildah's STEP line says
        // the step begins; its process, found by a duration no other test uses, says it runs.
        String dockerfile = DOCKERFILE.replace("echo built > /built.txt", "echo started-sleeping && sleep " + CANCELLED_SLEEP)
                .replace("test/hello", "test/cancelled");
        try (GitRepoFixture repo = repoWith(dockerfile)) {
            Built built = buildCancelledAfter(repo, "cancelled",
                    event -> event instanceof BuildEvent.LogEmitted log && log.line().text().contains("RUN echo started-sleeping"),
                    () -> {
                        try {
                            awaitProcess("sleep " + CANCELLED_SLEEP);
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    });

            assertThat(built.record().state()).isEqualTo(BuildState.CANCELLED);
            assertNothingOfTheBuildRemains(built);
            assertThat(registry.tags("test/cancelled")).isEmpty();
        }
    }

    /** The test Dockerfile, named {@code name}, with an rpm database and an rpm that runs {@code script}. */
    static String withRpm(String script, String name) {
        return DOCKERFILE.replace("echo built > /built.txt", "mkdir -p /var/lib/rpm /usr/bin && printf '#!/bin/sh\\n"
                + script + "\\n' > /usr/bin/rpm && chmod +x /usr/bin/rpm").replace("test/hello", name);
    }

    @Test
    void aCancelWhileTheRpmsAreListedRemovesTheirWorkingContainer() throws Exception {
        // An rpm that never answers: the cancel comes while gather_image_content's working container runs it.
        String dockerfile = withRpm("sleep 600", "test/slowrpm");
        try (GitRepoFixture repo = repoWith(dockerfile)) {
            Built built = buildCancelledAfter(repo, "slowrpm",
                    event -> event instanceof BuildEvent.StepStarted started && started.step().equals("gather_image_content"),
                    () -> {
                        // Until its working container exists: the cancel then meets creating, mounting or running it.
                        while (buildah.buildah("containers", "--all", "--quiet").isBlank()) {
                            Thread.onSpinWait();
                        }
                    });

            assertThat(built.record().state()).isEqualTo(BuildState.CANCELLED);
            assertNothingOfTheBuildRemains(built);
        }
    }

    /**
     * An image on a parent that holds an rpm database has its packages listed while it is pushed
     * (the parents' layers were read while buildah built), not after: gather_image_content only
     * records what that listing found. Which packages it found is not asserted: the fake rpm here
     * prints one line and exits at once, and `buildah run` (chroot isolation) lost that line in 2 of
     * 7 runs on the loaded test host, through the listing after the push as well as during it.
     */
    @Test
    void packagesOfAnImageOnAParentWithAnRpmDatabaseAreListedWhileItIsPushed() throws Exception {
        String fakeRpm = "echo \"fakepkg 1.0 1 x86_64 abc (none)\" | tr \" \" \"\\t\"";
        try (GitRepoFixture parentRepo = repoWith(withRpm(fakeRpm, "test/rpmparent"))) {
            Built parent = build(parentRepo, request(parentRepo, "rpmparent"), Map.of());
            assertThat(parent.record().state()).as(parent.record().failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(parent.log()).extracting(LogLine::text)
                    .noneMatch(line -> line.contains("listing the image's packages while it is pushed"));
        }
        try (GitRepoFixture repo = GitRepoFixture.create(home.resolve("child"))) {
            repo.write("Dockerfile", "FROM " + registry.reference("test/rpmparent:2.1-1")
                    + "\nLABEL name=\"test/rpmchild\" version=\"1.0\"\nRUN echo child > /child.txt\n");
            repo.commit("child");
            Built built = build(repo, request(repo, "rpmchild"), Map.of());

            assertThat(built.record().state()).as(built.record().failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(built.record().steps()).extracting(s -> s.step() + "=" + s.outcome())
                    .contains("tag_and_push=SUCCEEDED", "gather_image_content=SUCCEEDED");
            assertThat(built.log()).extracting(LogLine::text)
                    .contains("the parents hold package databases: listing the image's packages while it is pushed",
                            "the image's packages were listed while it was pushed")
                    .noneMatch(line -> line.contains("the image's layers hold no rpm or dpkg database"));
            assertThat(built.record().kojiMetadata()).hasValueSatisfying(json -> assertThat(KojiMetadataValidator.problems(json)).isEmpty());
            assertThat(buildah.buildah("containers", "--all", "--quiet")).as("working containers left").isBlank();
        }
    }

    @Test
    void aFailingAllowedStepAfterThePushKeepsTheBuildCompleteAndItsImageRecorded() throws Exception {
        // An rpm that fails: gather_image_content cannot list packages and fails, which it is allowed to do.
        String dockerfile = withRpm("exit 1", "test/norpm");
        try (GitRepoFixture repo = repoWith(dockerfile)) {
            Built built = build(repo, request(repo, "norpm"), Map.of());

            assertThat(built.record().state()).as(built.record().failure().toString()).isEqualTo(BuildState.COMPLETE);
            assertThat(built.record().steps()).extracting(s -> s.step() + "=" + s.outcome()).contains(
                    "tag_and_push=SUCCEEDED", "gather_image_content=FAILED_ALLOWED", "attach_sbom=SUCCEEDED",
                    "export_koji_metadata=SUCCEEDED");
            assertThat(built.record().outputs()).singleElement().satisfies(out -> {
                assertThat(out.digest()).isEqualTo(registry.skopeoInspect("test/norpm:2.1-1").path("Digest").asText());
                assertThat(out.layerDigests()).isNotEmpty();
                assertThat(out.components()).isEmpty();
            });
            assertThat(built.log()).extracting(LogLine::text).noneMatch(line -> line.contains("crashed"))
                    .anyMatch(line -> line.contains("no rpm package list"))
                    // attach_sbom cannot list them either; the SBOM says so instead of failing the build.
                    .anyMatch(line -> line.contains("the SBOM lists none and says so"));
            assertThat(built.record().kojiMetadata()).hasValueSatisfying(json -> assertThat(KojiMetadataValidator.problems(json)).isEmpty());
        }
    }

    @Test
    void aPrimaryTagHoldingAnotherComponentsImageIsRefused() throws Exception {
        String dockerfile = DOCKERFILE.replace("test/hello", "test/shared");
        try (GitRepoFixture repo = repoWith(dockerfile)) {
            Built first = build(repo, request(repo, "alpha"), Map.of());
            assertThat(first.record().state()).isEqualTo(BuildState.COMPLETE);
            String alphaDigest = registry.skopeoInspect("test/shared:2.1-1").path("Digest").asText();

            Built second = build(repo, request(repo, "beta"), Map.of());

            assertThat(second.record().state()).isEqualTo(BuildState.FAILED);
            assertThat(second.record().failure()).hasValueSatisfying(f -> {
                assertThat(f.reason()).isEqualTo("PRIMARY_TAG_TAKEN");
                assertThat(f.message()).contains("test/shared:2.1-1").contains("component alpha").contains("beta");
                assertThat(f.hint()).contains("name label");
            });
            assertThat(registry.skopeoInspect("test/shared:2.1-1").path("Digest").asText()).isEqualTo(alphaDigest);
            assertThat(registry.skopeoInspect("test/shared:latest").path("Digest").asText()).isEqualTo(alphaDigest);
            assertThat(registry.tags("test/shared")).noneMatch(tag -> tag.contains(second.record().id().value()));
        }
    }

    @Test
    void theUserPrefixesTheBuiltImagesNameAsTheRendererDoes() throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE.replace("test/hello", "test/owned"))) {
            Built withUser = build(repo, request(repo, "owned").user("Release Engineer").target("f40-candidate"), Map.of());
            // The same inputs again: --no-cache, or build avoidance would give it a new release without a builder run.
            Built withoutUser = build(repo, request(repo, "owned").user(null).noCache(true), Map.of());

            String images = buildah.buildah("images", "--format", "{{.Name}}:{{.Tag}}");
            assertThat(images).contains("localhost/release-engineer/owned:f40-candidate-" + withUser.record().id().value())
                    .contains("localhost/owned:none-" + withoutUser.record().id().value());
            String rendered = io.strata.core.render.BuildNames.imageTag("release-engineer", "owned", "f40-candidate", 12345,
                    java.time.Instant.EPOCH);
            assertThat(rendered).startsWith("release-engineer/owned:f40-candidate-");
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
            Built built = build(repo, request(repo, "hello"), Map.of("registry_uri", "http://127.0.0.1:" + refusing.port() + "/v2",
                    "strata_registry_retry_timeout", "1"));
            assertThat(built.record().state()).isEqualTo(BuildState.FAILED);
            assertThat(built.record().failure().orElseThrow().reason()).isEqualTo("REGISTRY_UNREACHABLE");
        }
    }

    /** A registry to push to that is stopped as the push starts; {@code restart} runs then, on another thread. */
    Built buildPushingIntoAnOutage(String repository, String retrySeconds, Runnable restart, RegistryFixture target)
            throws Exception {
        try (GitRepoFixture repo = repoWith(DOCKERFILE.replace("test/hello", repository))) {
            return build(repo, request(repo, "outage"), Map.of("registry_uri", "http://" + target.host() + "/v2",
                    "strata_registry_retry_timeout", retrySeconds), event -> {
                if (event instanceof BuildEvent.LogEmitted line && line.line().text().startsWith("pushing ")) {
                    target.stop();
                    Thread.ofVirtual().start(restart);
                }
            });
        }
    }

    @Test
    void aRegistryAwayForTenSecondsDuringThePushIsWaitedFor() throws Exception {
        try (RegistryFixture target = RegistryFixture.startWithoutAuth()) {
            Built built = buildPushingIntoAnOutage("test/outage", "120", () -> {
                try {
                    Thread.sleep(10_000); // the outage; not an assertion on time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                target.restart();
            }, target);

            assertThat(built.record().state()).as(built.record().failure().toString()).isEqualTo(BuildState.COMPLETE);
            // Strata pushes from buildah's storage itself: its registry calls wait (buildah's push would say the same
            // "connection refused while pushing ...").
            assertThat(built.log()).extracting(LogLine::text).anyMatch(line -> line.contains("connection refused while")
                    && line.contains("trying again in"));
            assertThat(target.tags("test/outage")).contains("2.1-1", "latest");
        }
    }

    @Test
    void aRegistryThatNeverComesBackFailsWithOneSentence() throws Exception {
        try (RegistryFixture target = RegistryFixture.startWithoutAuth()) {
            Built built = buildPushingIntoAnOutage("test/gone", "4", () -> { }, target);

            assertThat(built.record().state()).isEqualTo(BuildState.FAILED);
            assertThat(built.record().failure()).hasValueSatisfying(f -> {
                assertThat(f.reason()).isEqualTo("REGISTRY_UNREACHABLE");
                assertThat(f.message()).startsWith("tag_and_push: registry " + target.host() + " kept failing while pushing ")
                        .endsWith("; last error: connection refused").doesNotContain("\n").hasSizeLessThan(300);
                assertThat(f.hint()).contains("strata_registry_retry_timeout");
            });
            assertThat(built.log()).extracting(LogLine::text).as("one wait for the registry, not a second by buildah")
                    .noneMatch(line -> line.startsWith("pushing with buildah"));
        }
    }

    static final String COPY_ONLY_DOCKERFILE = """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            LABEL name="test/copied" version="1.0"
            ENV APP=/opt/app
            COPY app/ $APP/
            CMD ["/opt/app/run.sh"]
            """;

    /** A stage that only copies is assembled by Strata (no buildah run); strata_builder = buildah forces buildah. */
    @Test
    void aCopyOnlyStageIsAssembledDirectlyUnlessBuildahIsForced() throws Exception {
        try (GitRepoFixture repo = repoWith(COPY_ONLY_DOCKERFILE)) {
            repo.write("app/run.sh", "#!/bin/sh\necho run\n").write("app/data/x.txt", "x");
            repo.commit("app");
            Built built = build(repo, request(repo, "copied").gitRef(repo.head()), Map.of());

            assertThat(built.record().state()).as(built.record().failure().toString()).isEqualTo(BuildState.COMPLETE);
            List<String> log = built.log().stream().map(LogLine::text).toList();
            assertThat(log).anyMatch(line -> line.startsWith("assembling the image directly (1 layers from COPY"))
                    .noneMatch(line -> line.startsWith("STEP 1/"))
                    .contains("the image's layers hold no rpm or dpkg database: nothing to list, no working container");
            ImageOutput out = built.record().outputs().get(0);
            assertThat(out.tags()).contains("1.0-1", "latest");
            assertThat(out.components()).isEmpty();
            JsonNode inspected = registry.skopeoInspect("test/copied:1.0-1");
            assertThat(inspected.path("Digest").asText()).isEqualTo(out.digest());
            assertThat(inspected.path("Labels").path("com.redhat.component").asText()).isEqualTo("copied");
            assertThat(inspected.path("Labels").path("vcs-ref").asText()).isEqualTo(repo.head());
            assertThat(inspected.path("Env").toString()).contains("APP=/opt/app");
            assertThat(inspected.path("Layers").size()).isEqualTo(2);
            assertThat(built.record().kojiMetadata()).hasValueSatisfying(json -> {
                assertThat(KojiMetadataValidator.problems(json)).isEmpty();
                assertThat(json).contains(io.strata.worker.assembly.DirectAssembly.MANIFEST_MEDIA_TYPE);
            });
            assertThat(String.join("\n", log)).doesNotContain(registry.password());

            Built byBuildah = build(repo, request(repo, "copied").gitRef(repo.head()), Map.of("strata_builder", "buildah"));
            assertThat(byBuildah.record().state()).isEqualTo(BuildState.COMPLETE);
            assertThat(byBuildah.log()).extracting(LogLine::text).anyMatch(line -> line.startsWith("STEP 1/"))
                    .noneMatch(line -> line.startsWith("assembling the image directly"));
        }
    }
}
