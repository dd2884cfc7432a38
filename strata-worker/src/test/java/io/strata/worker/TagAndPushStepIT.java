package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.Step;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.registry.ImageReference;
import io.strata.registry.MediaTypes;
import io.strata.worker.assembly.AssembledImage;
import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.network.NetworkRemovals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tag_and_push against a real registry, around the later steps' work it begins once the pushed
 * manifest is read back: what that work is given, and that what it began reaches the later steps
 * with every tag recorded. The image is one Strata assembled (its blobs in the registry, its
 * manifest stored by the step), so no buildah is needed.
 */
class TagAndPushStepIT extends AgainstOpenRegistry {
    private static final BuildId ID = new BuildId("20261202-000000-7a9b00");

    @TempDir
    Path dir;

    final List<BuildEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void theWorkAfterThePushIsBegunWithThePushedImageAndReachesTheLaterStepWithEveryTag() throws Exception {
        WorkerState assembled = assembledImage("push/early");
        List<WorkerState> seen = new CopyOnWriteArrayList<>();
        List<List<String>> laterSteps = new CopyOnWriteArrayList<>();
        EarlyStart afterThePush = (state, context) -> {
            seen.add(state);
            laterSteps.add(context.laterSteps());
            return state.withGathering(PendingContent.begin(() -> Optional.of(new PendingContent.Gathered(
                    new ImagePackages(List.of(), Optional.empty(), Optional.of("busybox")), List.of("read during the push")))));
        };

        WorkerState done = run(afterThePush, assembled);

        String digest = assembled.assembled().orElseThrow().digest();
        assertThat(seen).singleElement().satisfies(state -> {
            assertThat(state.requirePushed().digest()).isEqualTo(digest);
            assertThat(state.requirePushed().layerDigests()).isEqualTo(assembled.assembled().orElseThrow().layerDigests());
            assertThat(state.requirePushed().tags()).as("only the unique tag is certain then").hasSize(1);
        });
        assertThat(laterSteps).containsExactly(List.of("gather_image_content"));
        assertThat(done.requirePushed().tags()).hasSize(3).contains("1-1", "latest");
        assertThat(done.packages()).hasValueSatisfying(p -> assertThat(p.osReleaseId()).contains("busybox"));
        assertThat(logOf("gather_image_content")).first().isEqualTo("read during the push");
        ImageReference repository = ImageReference.parse(registry.host() + "/push/early");
        assertThat(client.manifest(repository.withTag("latest")).layerDigests())
                .isEqualTo(assembled.assembled().orElseThrow().layerDigests());
    }

    @Test
    void workThatCannotBeginDuringThePushLeavesThePushAsItIsAndTheLaterStepDoesIt() throws Exception {
        WorkerState assembled = assembledImage("push/unbegun");
        EarlyStart cannot = (state, context) -> {
            throw new StrataException("REGISTRY_ERROR", "no preparation today", "nothing to do");
        };

        WorkerState done = run(cannot, assembled);

        assertThat(done.requirePushed().tags()).hasSize(3);
        assertThat(done.gathering()).isEmpty();
        assertThat(logOf("tag_and_push")).anyMatch(line -> line.contains("no preparation today")
                && line.contains("the later steps do it themselves"));
        assertThat(logOf("gather_image_content")).first().isEqualTo("done here");
    }

    /**
     * What is begun as the push starts sees no pushed image yet; what is begun when it ends sees its
     * digest, before the manifest is read back, and the documents' subject comes from that read-back.
     */
    @Test
    void workBegunWhenThePushEndsHasTheDigestAndTheSubjectFromTheReadBack() throws Exception {
        WorkerState assembled = assembledImage("push/early");
        List<WorkerState> whilePushing = new CopyOnWriteArrayList<>();
        List<WorkerState> whenPushed = new CopyOnWriteArrayList<>();
        TagAndPushStep push = new TagAndPushStep(null, client, registry.host(), null, new NetworkRemovals(),
                (state, context) -> {
                    whilePushing.add(state);
                    return state;
                }, (state, context) -> {
                    whenPushed.add(state);
                    return state;
                }, (state, context) -> state);
        var executor = new PlanExecutor<>(Map.of("tag_and_push", push), events::add, Clock.systemUTC(),
                UnaryOperator.identity());

        WorkerState done = executor.execute(ID, new Plan("worker", 6, List.of(new PlanStep("tag_and_push",
                StepPhase.POSTBUILD, true, false, Map.of("floating_tags", List.of("latest"))))), assembled, 0);

        assertThat(whilePushing).singleElement().satisfies(state -> assertThat(state.pushed()).isEmpty());
        assertThat(whenPushed).singleElement().satisfies(state -> {
            assertThat(state.requirePushed().digest()).isEqualTo(done.requirePushed().digest());
            assertThat(state.requirePushed().layerDigests()).as("not read back yet").isEmpty();
            Attaching.Subject subject = state.attaching().subject().orElseThrow();
            assertThat(subject.digest()).isEqualTo(done.requirePushed().digest());
            assertThat(subject.manifest().get()).isEqualTo(new io.strata.registry.SubjectManifest(MediaTypes.OCI_MANIFEST,
                    done.requirePushed().digest(), assembled.assembled().orElseThrow().manifest().length));
        });
        assertThat(done.requirePushed().layerDigests()).isEqualTo(assembled.assembled().orElseThrow().layerDigests());
        assertThat(done.attaching().subject()).as("kept for the documents begun at the read-back").isPresent();
    }

    @Test
    void thePrimaryTagReadWhileTheImageIsBuiltIsWhatThePushIsJudgedBy() throws Exception {
        WorkerState assembled = assembledImage("push/taken");
        putUnder("push/taken", "1-1", "other");
        TagAndPushStep push = new TagAndPushStep(null, client, registry.host(), null, new NetworkRemovals(),
                (state, context) -> state);
        Step<WorkerState> build = push.before((state, context) -> {
            // The check was begun before the build; the tag then moves to an image of this very component.
            assertThat(state.primaryTagCheck().orElseThrow().joinIfFresh()).hasValueSatisfying(labels ->
                    assertThat(labels).hasValueSatisfying(l -> assertThat(l).containsEntry(AddLabelsStep.COMPONENT, "other")));
            try {
                putUnder("push/taken", "1-1", "c");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return state;
        });
        var executor = new PlanExecutor<>(Map.of("buildah_build", build, "tag_and_push", push), events::add,
                Clock.systemUTC(), UnaryOperator.identity());
        List<PlanStep> plan = List.of(new PlanStep("buildah_build", StepPhase.BUILD, true, false, Map.of()),
                new PlanStep("tag_and_push", StepPhase.POSTBUILD, true, false, Map.of()));

        assertThatThrownBy(() -> executor.execute(ID, new Plan("worker", 6, plan), assembled, 0))
                .isInstanceOf(StrataException.class)
                .satisfies(e -> assertThat(((StrataException) e).reason()).isEqualTo("PRIMARY_TAG_TAKEN"))
                .hasMessageContaining("component other");
        assertThat(registry.tags("push/taken")).as("nothing pushed").containsExactly("1-1");
    }

    @Test
    void aPrimaryTagReadingThatFailedWhileTheImageWasBuiltIsMadeAgainBeforeThePush() throws Exception {
        putUnder("push/reread", "1-1", "other");
        ImageReference primary = ImageReference.parse(registry.host() + "/push/reread").withTag("1-1");
        WorkerState failedCheck = assembledImage("push/reread").withPrimaryTagCheck(PrimaryTagCheck.begin(primary, () -> {
            throw new io.strata.registry.RegistryException(io.strata.registry.RegistryException.Reason.REGISTRY_UNREACHABLE,
                    "the registry restarted for a moment", "try again");
        }));

        assertThatThrownBy(() -> run((state, context) -> state, failedCheck))
                .isInstanceOf(StrataException.class)
                .satisfies(e -> assertThat(((StrataException) e).reason()).as("read again, and refused")
                        .isEqualTo("PRIMARY_TAG_TAKEN"));
    }

    /** Stores a one-layer image of {@code component} under {@code name:tag}. */
    private void putUnder(String name, String tag, String component) throws Exception {
        OpenRegistry.OneLayerImage image = open.oneLayerImage(name, ("a layer of " + component).getBytes(StandardCharsets.UTF_8),
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"" + AddLabelsStep.COMPONENT
                        + "\":\"" + component + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        client.blobs().putManifest(image.repository().withTag(tag), tag, MediaTypes.OCI_MANIFEST, image.manifest());
    }

    private WorkerState run(EarlyStart afterThePush, WorkerState initial) throws Exception {
        TagAndPushStep push = new TagAndPushStep(null, client, registry.host(), null, new NetworkRemovals(), afterThePush);
        Step<WorkerState> gather = (state, context) -> {
            PendingContent.Gathered found = state.gathering().isPresent() ? state.gathering().get().join().orElseThrow()
                    : new PendingContent.Gathered(new ImagePackages(List.of(), Optional.empty(), Optional.empty()),
                            List.of("done here"));
            found.log().forEach(context::log);
            return state.withPackages(found.packages());
        };
        var executor = new PlanExecutor<>(Map.of("tag_and_push", push, "gather_image_content", gather), events::add,
                Clock.systemUTC(), UnaryOperator.identity());
        List<PlanStep> plan = List.of(
                new PlanStep("tag_and_push", StepPhase.POSTBUILD, true, false, Map.of("floating_tags", List.of("latest"))),
                new PlanStep("gather_image_content", StepPhase.POSTBUILD, true, false, Map.of()));
        return executor.execute(ID, new Plan("worker", 6, plan), initial, 0);
    }

    private static String sha256(byte[] content) throws Exception {
        return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }

    private List<String> logOf(String step) {
        return events.stream().filter(BuildEvent.LogEmitted.class::isInstance).map(e -> ((BuildEvent.LogEmitted) e).line())
                .filter(line -> line.step().equals(step)).map(line -> line.text()).toList();
    }

    /** A state after buildah_build for an image Strata assembled: its layer and config in the registry, no manifest yet. */
    private WorkerState assembledImage(String name) throws Exception {
        OpenRegistry.OneLayerImage image = open.oneLayerImage(name, ("a layer of " + name).getBytes(StandardCharsets.UTF_8),
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"com.redhat.component\":\"c\"}},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        return OpenRegistry.identified(ID, dir, name).withAssembled(new AssembledImage(image.manifest(),
                sha256(image.manifest()), MediaTypes.OCI_MANIFEST, image.configDigest(), image.size(),
                List.of(image.layerDigest()), Optional.empty(), false));
    }
}
