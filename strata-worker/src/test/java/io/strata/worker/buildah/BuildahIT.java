package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.worker.buildah.BuildahException.Failure;
import io.strata.testkit.BuildahFixture;
import io.strata.worker.process.ProcessRunner;
import io.strata.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildahIT {
    private static RegistryFixture registry;
    private static BuildahFixture storage;
    private static Path authFile;
    private static Buildah buildah;
    private static String baseImage;

    @TempDir
    Path context;

    @BeforeAll
    static void startRegistryAndMakeBaseImage(@TempDir Path shared) {
        registry = RegistryFixture.start();
        storage = BuildahFixture.create();
        storage.makeBusyboxBaseImage("base/busybox:1", registry);
        baseImage = registry.reference("base/busybox:1");
        authFile = registry.writeAuthFile(shared.resolve("auth.json"));
        buildah = new Buildah(optionsWithAuthFile(authFile));
    }

    @AfterAll
    static void stopRegistry() {
        storage.close();
        registry.close();
    }

    private static BuildahOptions optionsWithAuthFile(Path file) {
        return new BuildahOptions(storage.storageRoot(), storage.runRoot(), storage.storageDriver(), file, false);
    }

    @Test
    void buildsAndPushesAnImageWhoseLabelsAndDigestTheRegistryConfirms() throws Exception {
        dockerfile("FROM " + baseImage, "LABEL component=hello version=1.0", "ARG GREETING",
                "RUN echo \"$GREETING from RUN\" && echo built > /built", "ENV MODE=test");
        List<String> lines = new CopyOnWriteArrayList<>();

        String imageId = buildah.bud(offlineSpec().tag("localhost/hello:1").buildArg("GREETING", "hi")
                .platform("linux/amd64").build(), lines::add);
        String digest = buildah.push(imageId, registry.reference("apps/hello:1.0"));

        JsonNode pushed = registry.skopeoInspect("apps/hello:1.0");
        assertThat(imageId).matches("[0-9a-f]{64}");
        assertThat(digest).matches("sha256:[0-9a-f]{64}");
        assertThat(pushed.path("Digest").asText()).isEqualTo(digest);
        assertThat(pushed.path("Labels").path("component").asText()).isEqualTo("hello");
        assertThat(pushed.path("Labels").path("version").asText()).isEqualTo("1.0");
        assertThat(lines).contains("hi from RUN");
        assertThat(lines).anyMatch(line -> line.startsWith("STEP 1/5: FROM " + baseImage));

        ImageInspection inspection = buildah.inspect(imageId);
        assertThat(inspection.imageId()).isEqualTo(imageId);
        assertThat(inspection.configDigest()).isEqualTo("sha256:" + imageId);
        assertThat(inspection.labels()).containsEntry("component", "hello").containsEntry("version", "1.0");
        assertThat(inspection.env()).contains("MODE=test");
        assertThat(inspection.architecture()).isEqualTo("amd64");
        assertThat(registry.tags("apps/hello")).containsExactly("1.0");
    }

    @Test
    void runStepsHaveNoNetworkUnlessTheSpecAllowsIt() throws Exception {
        dockerfile("FROM " + baseImage,
                "RUN wget -q -O /dev/null http://" + registry.host() + "/v2/ 2>&1 | sed 's/^/wget: /'; true");
        List<String> offline = new CopyOnWriteArrayList<>();
        List<String> online = new CopyOnWriteArrayList<>();

        buildah.bud(offlineSpec().layers(false).build(), offline::add);
        buildah.bud(BudSpec.builder(context).layers(false).allowNetwork(true).build(), online::add);

        assertThat(offline).anyMatch(line -> line.startsWith("wget: ") && line.contains("Network is unreachable"));
        assertThat(online).anyMatch(line -> line.startsWith("wget: ") && line.contains("401"));
    }

    @Test
    void failingRunStepIsBuildFailedWithTheStepsOutput() throws Exception {
        dockerfile("FROM " + baseImage, "RUN echo about to fail && exit 3");

        assertThatThrownBy(() -> buildah.bud(offlineSpec().build(), line -> { }))
                .isInstanceOfSatisfying(BuildahException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.BUILD_FAILED);
                    assertThat(e.reason()).isEqualTo("BUILD_FAILED");
                    assertThat(e.getMessage()).contains("about to fail").contains(context.resolve("Dockerfile").toString());
                });
    }

    @Test
    void wrongCredentialsArePushAuthFailedAndThePasswordIsNeverShown(@TempDir Path dir) throws Exception {
        String wrongPassword = "wrong-" + registry.password();
        Path badAuth = Files.writeString(dir.resolve("bad.json"), "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
                + java.util.Base64.getEncoder().encodeToString((registry.username() + ":" + wrongPassword).getBytes())
                + "\"}}}");
        String imageId = buildSmallImage();
        List<String> lines = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> new Buildah(optionsWithAuthFile(badAuth))
                .push(imageId, registry.reference("apps/denied:1"), lines::add))
                .isInstanceOfSatisfying(BuildahException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.PUSH_AUTH_FAILED);
                    assertThat(e.getMessage()).isEqualTo("registry " + registry.host()
                            + " refused the credentials for pushing " + registry.reference("apps/denied:1"));
                    assertThat(e.hint()).contains(badAuth.toString()).doesNotContain(wrongPassword);
                });
        assertThat(lines).noneMatch(line -> line.contains(wrongPassword) || line.contains(registry.password()));
    }

    @Test
    void stoppedRegistryIsRegistryUnreachable() throws Exception {
        String imageId = buildSmallImage();
        try (RegistryFixture gone = RegistryFixture.start()) {
            gone.stop();

            assertThatThrownBy(() -> buildah.push(imageId, gone.reference("apps/nowhere:1")))
                    .isInstanceOfSatisfying(BuildahException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.REGISTRY_UNREACHABLE);
                        assertThat(e.getMessage()).startsWith("cannot reach registry " + gone.host()
                                + " to push " + gone.reference("apps/nowhere:1"));
                    });
        }
    }

    @Test
    void busyboxHasNoRpmsAndTheWorkingContainerIsRemoved() throws Exception {
        String imageId = buildSmallImage();
        String containersBefore = storage.buildah("containers", "--quiet");

        assertThat(buildah.listRpms(imageId)).isEmpty();
        assertThat(storage.buildah("containers", "--quiet")).isEqualTo(containersBefore);
    }

    /**
     * A build killed while its rpms are listed leaves that working container behind (the process that
     * would remove it is gone); the reconcile finds it only by the build's mark. The random-kill loop
     * of LeasedBuildsIT met this: a container left after a kill during gather_image_content.
     */
    @Test
    void theRpmListingsContainerCarriesTheBuildsMarkSoTheReconcileFindsIt() throws Exception {
        String imageId = buildSmallImage();
        String build = "20261201-000000-abcdef";
        WorkingContainers leftovers = new WorkingContainers(optionsWithAuthFile(authFile));

        int foundWhileItExists = buildah.inWorkingContainer(imageId, java.util.Optional.of(build),
                (container, rootfs) -> leftovers.removeOf(build));

        assertThat(foundWhileItExists).isEqualTo(1);
        assertThat(leftovers.removeOf("20261201-000000-fedcba")).isZero();
        assertThat(storage.buildah("containers", "--quiet")).isBlank();
    }

    /**
     * A build remembers digest-pinned parents it saw in storage and does not ask storage again; one
     * removed meanwhile (buildah rmi, a prune) is pulled again and the build still succeeds.
     */
    @Test
    void aRememberedPinnedParentRemovedFromStorageIsPulledAgain() throws Exception {
        String pinned = registry.reference("base/busybox@" + registry.skopeoInspect("base/busybox:1").path("Digest").asText());
        Buildah remembering = new Buildah(optionsWithAuthFile(authFile));
        dockerfile("FROM " + pinned, "RUN echo first > /first");
        assertThat(remembering.bud(BudSpec.builder(context).baseImage(pinned).layers(false).build(), line -> { })).matches("[0-9a-f]{64}");

        String parentId = storage.buildah("inspect", "--type", "image", "--format", "{{.FromImageID}}", pinned).strip();
        storage.buildah("rmi", "--force", parentId);
        List<String> lines = new CopyOnWriteArrayList<>();
        dockerfile("FROM " + pinned, "RUN echo second > /second");
        String second = remembering.bud(BudSpec.builder(context).baseImage(pinned).layers(false).build(), lines::add);

        assertThat(second).matches("[0-9a-f]{64}");
        assertThat(lines).contains("a base image left local storage since an earlier build: pulling it again");
        assertThat(lines).anyMatch(line -> line.startsWith("STEP 2/2: RUN echo second"));
    }

    /**
     * A digest-pinned parent is not looked for in storage before the build: a process that has not
     * seen it yet runs the build at once, and pulls only when buildah says it does not know the image.
     */
    @Test
    void aPinnedParentIsNotLookedForFirstAndIsPulledWhenTheBuildMissesIt(@TempDir Path dir) throws Exception {
        String pinned = registry.reference("base/busybox@" + registry.skopeoInspect("base/busybox:1").path("Digest").asText());
        Path calls = dir.resolve("calls.log");
        Path wrapper = dir.resolve("buildah-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> " + calls + "\nexec buildah \"$@\"\n");
        assertThat(wrapper.toFile().setExecutable(true)).isTrue();
        try {
            // By its id: buildah 1.28's rmi does not take a digest reference ("tag not known"), though FROM finds the
            // image by it, so once a test ran before this one and pulled base/busybox:1, the image stayed.
            storage.buildah("rmi", "--force",
                    storage.buildah("inspect", "--type", "image", "--format", "{{.FromImageID}}", pinned).strip());
        } catch (AssertionError | RuntimeException notThere) {
            // not in storage: what this test wants
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        dockerfile("FROM " + pinned, "RUN echo missing > /missing");

        String built = new Buildah(wrapper.toString(), optionsWithAuthFile(authFile), new ProcessRunner())
                .bud(BudSpec.builder(context).baseImage(pinned).layers(false).build(), lines::add);

        assertThat(built).matches("[0-9a-f]{64}");
        assertThat(lines).contains("a base image is not in local storage yet: pulling it");
        assertThat(subcommands(calls)).containsExactly("bud", "inspect", "pull", "bud");

        // In storage now: another process's first build asks storage nothing before it builds.
        Files.delete(calls);
        dockerfile("FROM " + pinned, "RUN echo present > /present");
        String again = new Buildah(wrapper.toString(), optionsWithAuthFile(authFile), new ProcessRunner())
                .bud(BudSpec.builder(context).baseImage(pinned).layers(false).build(), line -> { });
        assertThat(again).matches("[0-9a-f]{64}");
        assertThat(subcommands(calls)).containsExactly("bud");
    }

    /** The buildah subcommand of each logged call (the global options before it left out). */
    private static List<String> subcommands(Path calls) throws java.io.IOException {
        return Files.readAllLines(calls).stream().map(line -> java.util.Arrays.stream(line.split(" "))
                .filter(word -> List.of("bud", "inspect", "pull", "push", "from", "rm", "containers").contains(word))
                .findFirst().orElse(line)).toList();
    }

    @Test
    void rmiRemovesTheImage() throws Exception {
        String imageId = buildSmallImage();

        buildah.rmi(imageId);

        assertThatThrownBy(() -> buildah.inspect(imageId))
                .isInstanceOfSatisfying(BuildahException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.BUILDAH_FAILED));
    }

    @Test
    void versionIsBuildahsReleaseNumber() throws Exception {
        assertThat(buildah.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void interruptCancelsTheBuildAndStorageStaysUsable() throws Exception {
        dockerfile("FROM " + baseImage, "RUN echo started && sleep 600");
        Running running = runUntilStarted(offlineSpec().layers(false).build());
        running.thread().interrupt();
        running.thread().join();
        CompletableFuture<Throwable> outcome = running.outcome();

        assertThat(outcome.get()).isInstanceOfSatisfying(BuildahException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.CANCELLED));
        assertThat(storage.buildah("containers", "--all", "--quiet")).as("working containers left by the cancel").isBlank();
        assertThat(buildSmallImage()).matches("[0-9a-f]{64}");
    }

    /**
     * buildah stopped before its own --force-rm cleanup ran (a loaded CI run saw a cancel during a
     * RUN step leave three working containers): Strata removes what the build's mark names.
     */
    @Test
    void aBuildahKilledDuringARunStepLeavesNoWorkingContainerOfTheBuild() throws Exception {
        String build = "20261202-000000-c1ea75";
        dockerfile("FROM " + baseImage, "RUN echo started && sleep 617");
        Running running = runUntilStarted(offlineSpec().layers(false).owner(build).build());
        CompletableFuture<Throwable> outcome = running.outcome();
        try {
            // Only the buildah process of this build carries its mark on its command line.
            assertThat(new ProcessBuilder("pkill", "-KILL", "-f", "--", "--cgroup-parent " + WorkingContainers.mark(build))
                    .start().waitFor()).as("pkill found the build's buildah").isZero();
            running.thread().join();
        } finally {
            new ProcessBuilder("pkill", "-KILL", "-x", "-f", "sleep 617").start().waitFor();
        }

        assertThat(outcome.get()).isInstanceOfSatisfying(BuildahException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.BUILD_FAILED));
        assertThat(storage.buildah("containers", "--all", "--quiet")).as("working containers left by the killed buildah").isBlank();
    }

    @Test
    void aFailedRunStepLeavesNoWorkingContainer() throws Exception {
        dockerfile("FROM " + baseImage, "RUN echo one > /one", "RUN exit 3");

        assertThatThrownBy(() -> buildah.bud(offlineSpec().build(), line -> { }))
                .isInstanceOfSatisfying(BuildahException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BUILD_FAILED));
        assertThat(storage.buildah("containers", "--all", "--quiet")).as("working containers left by the failed RUN").isBlank();
    }

    @Test
    void missingBuildahBinaryIsBuildahMissing() {
        Buildah absent = new Buildah("strata-no-such-buildah", BuildahOptions.systemDefault(),
                new io.strata.worker.process.ProcessRunner());

        assertThatThrownBy(absent::version).isInstanceOfSatisfying(BuildahException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.BUILDAH_MISSING);
            assertThat(e.getMessage()).startsWith("cannot print its version: cannot run strata-no-such-buildah: ");
            assertThat(e.hint()).isEqualTo("install buildah (apt-get install buildah) and make sure it is on PATH");
        });
    }

    private String buildSmallImage() throws Exception {
        Path dir = Files.createTempDirectory(context, "small");
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + baseImage + "\nLABEL small=yes\n");
        return buildah.bud(BudSpec.builder(dir).baseImage(baseImage).build(), line -> { });
    }

    /** A build on a thread of its own, and what it threw (or null). */
    private record Running(Thread thread, CompletableFuture<Throwable> outcome) {}

    /** Starts {@code spec}'s build and returns once its RUN step printed "started". */
    private Running runUntilStarted(BudSpec spec) throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                buildah.bud(spec, line -> {
                    if (line.equals("started")) {
                        started.complete(null);
                    }
                });
                outcome.complete(null);
            } catch (BuildahException | io.strata.registry.RegistryException e) {
                outcome.complete(e);
            }
        });
        started.get();
        return new Running(worker, outcome);
    }

    private BudSpec.Builder offlineSpec() {
        return BudSpec.builder(context).baseImage(baseImage);
    }

    private void dockerfile(String... lines) throws Exception {
        Files.writeString(context.resolve("Dockerfile"), String.join("\n", lines) + "\n");
    }
}
