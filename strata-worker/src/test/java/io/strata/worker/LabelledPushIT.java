package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.dockerfile.Dockerfile;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.worker.assembly.RpmDatabaseProbe;
import io.strata.worker.buildah.BudSpec;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.worker.network.NetworkRemovals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labels Strata sets (add_labels_in_dockerfile's {@link ImageIdentity#set}) are not a build
 * step: tag_and_push writes them into the configuration it pushes from buildah's storage, and when
 * buildah pushes instead, it first gives the image one LABEL instruction. Either way the pushed
 * image has them, and its recorded config digest is the pushed config's.
 */
class LabelledPushIT extends AgainstBusyboxParent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BuildId ID = new BuildId("20261202-000000-1abe11");

    @TempDir
    Path dir;

    final List<BuildEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void aPushFromStorageWritesTheLabelsIntoThePushedConfigAndLeavesTheLocalImageAsBuilt() throws Exception {
        Buildah buildah = vfsBuildah();
        String imageId = built(buildah);

        WorkerState done = push(buildah, state("labels/stored", imageId, parent));

        assertThat(logOf()).noneMatch(line -> line.startsWith("pushing with buildah"));
        JsonNode config = pushedConfig(done);
        assertThat(config.path("config").path("Labels").path("release").asText()).isEqualTo("4");
        assertThat(config.path("config").path("Labels").path("purpose").asText()).isEqualTo("set by strata");
        assertThat(done.requirePushed().imageId()).as("the pushed config's id, not the local image's")
                .isNotEqualTo(imageId).isEqualTo(done.requirePushed().configDigest().substring("sha256:".length()));
        assertThat(buildah.inspect(imageId).labels()).as("the local image, as buildah built it")
                .doesNotContainKey("release").containsEntry("purpose", "dockerfile");
    }

    @Test
    void whenBuildahPushesTheImageIsGivenTheLabelsFirst() throws Exception {
        Buildah buildah = vfsBuildah();
        String imageId = built(buildah);
        // A parent that is not in storage by this digest: the push from storage doubts, buildah pushes.
        String unknownParent = registry.host() + "/base/busybox@sha256:" + "0".repeat(64);

        WorkerState done = push(buildah, state("labels/buildah", imageId, unknownParent));

        assertThat(logOf()).anyMatch(line -> line.startsWith("pushing with buildah"))
                .anyMatch(line -> line.startsWith("labelled image ") && line.endsWith("(2 labels set on " + imageId + ")"))
                // No --platform for this machine's own: buildah 1.28 would warn that TARGETARCH... were not consumed.
                .noneMatch(line -> line.contains("were not consumed"));
        JsonNode config = pushedConfig(done);
        assertThat(config.path("config").path("Labels").path("release").asText()).isEqualTo("4");
        assertThat(config.path("config").path("Labels").path("purpose").asText()).isEqualTo("set by strata");
        assertThat(config.path("created").asText()).as("the commit's time, as the build's").startsWith("2023-11-14T22:13:20");
        String labelled = done.requirePushed().imageId();
        assertThat(labelled).isNotEqualTo(imageId);
        assertThat(buildah.inspect(labelled).labels()).containsEntry("release", "4");
        assertThat(buildah.inspect("localhost/strata-build:" + ID.value()).imageId()).as("the build's local name moved to it")
                .isEqualTo(labelled);
    }

    private Buildah vfsBuildah() {
        return new Buildah(new BuildahOptions(vfs.storageRoot(), vfs.runRoot(), vfs.storageDriver(), null, false));
    }

    private String built(Buildah buildah) throws Exception {
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.writeString(context.resolve("a.txt"), "hello\n");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + parent + "\nCOPY a.txt /a.txt\nLABEL purpose=dockerfile\n");
        return buildah.bud(BudSpec.builder(context).baseImage(parent).timestamp(1_700_000_000L)
                .tag("localhost/strata-build:" + ID.value()).build(), line -> { });
    }

    private WorkerState state(String name, String imageId, String pinnedParent) throws Exception {
        var request = io.strata.core.request.BuildRequest.builder().component("c").gitUri("file:///r").gitRef("main")
                .scratch(true).build();
        Dockerfile dockerfile = Dockerfile.parse("FROM " + pinnedParent + "\n");
        Map<String, String> set = new LinkedHashMap<>();
        set.put("purpose", "set by strata");
        set.put("release", "4");
        return WorkerState.initial(ID, request, io.strata.registry.Platform.parse("linux/amd64"), dir, java.time.Instant.EPOCH)
                .withSource(new io.strata.worker.git.CheckedOutSource(dir, "0".repeat(40),
                        java.time.Instant.ofEpochSecond(1_700_000_000L)), dockerfile)
                .withPinnedParents(dockerfile, Map.of(pinnedParent, pinnedParent))
                .withIdentity(dockerfile, new ImageIdentity("c", name, "1", "4", Map.of(), set))
                .withImageId(imageId);
    }

    private WorkerState push(Buildah buildah, WorkerState initial) throws Exception {
        TagAndPushStep step = new TagAndPushStep(buildah, client, registry.host(), new RpmDatabaseProbe(client),
                new NetworkRemovals(), (state, context) -> state);
        var executor = new PlanExecutor<>(Map.of("tag_and_push", step), events::add, Clock.systemUTC(), UnaryOperator.identity());
        List<PlanStep> plan = List.of(new PlanStep("tag_and_push", StepPhase.POSTBUILD, true, false, Map.of()));
        return executor.execute(ID, new Plan("worker", 6, plan), initial, 0);
    }

    private JsonNode pushedConfig(WorkerState done) throws Exception {
        ImageReference image = ImageReference.parse(done.requirePushed().pullspec());
        ImageManifest manifest = client.manifest(image);
        assertThat(manifest.config().digest()).isEqualTo(done.requirePushed().configDigest());
        return JSON.readTree(client.blobs().blob(image, manifest.config().digest()));
    }

    private List<String> logOf() {
        return events.stream().filter(BuildEvent.LogEmitted.class::isInstance).map(e -> ((BuildEvent.LogEmitted) e).line().text())
                .toList();
    }
}
