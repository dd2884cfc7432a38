package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.registry.MediaTypes;
import io.strata.registry.RegistryException;
import io.strata.worker.assembly.RpmDatabaseProbe;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gather_image_content against a real registry, around the reading tag_and_push begins for it: a
 * reading that failed during the push (a registry restarting for a moment) is made again by the
 * step, as it always was after the push, instead of failing it.
 */
class GatherImageContentStepIT extends AgainstOpenRegistry {
    private static final BuildId ID = new BuildId("20261202-000000-9a7e00");

    @TempDir
    Path dir;

    final List<BuildEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void aReadingThatFailedDuringThePushIsMadeAgainByTheStep() throws Exception {
        OpenRegistry.OneLayerImage image = open.oneLayerImage("gather/reread", emptyTarGz(),
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        String digest = client.blobs().putManifest(image.repository().withTag("1"), "1", MediaTypes.OCI_MANIFEST,
                image.manifest());
        WorkerState pushed = OpenRegistry.identified(ID, dir, "gather/reread")
                .withPushed(new PushedImage(image.repository().toString(), digest, List.of("1"), image.size(),
                        List.of(image.layerDigest())))
                .withGathering(PendingContent.begin(() -> {
                    throw new RegistryException(RegistryException.Reason.REGISTRY_UNREACHABLE,
                            "the registry restarted for a moment", "try again");
                }));
        var executor = new PlanExecutor<>(Map.of("gather_image_content",
                new GatherImageContentStep(null, new RpmDatabaseProbe(client), java.util.Optional.empty())), events::add, Clock.systemUTC(),
                UnaryOperator.identity());

        WorkerState done = executor.execute(ID, new Plan("worker", 6, List.of(new PlanStep("gather_image_content",
                StepPhase.POSTBUILD, true, false, Map.of()))), pushed, 0);

        assertThat(done.packages()).hasValueSatisfying(packages -> assertThat(packages.rpms()).isEmpty());
        assertThat(events).filteredOn(BuildEvent.LogEmitted.class::isInstance)
                .map(e -> ((BuildEvent.LogEmitted) e).line().text())
                .anyMatch(line -> line.contains("the registry restarted for a moment") && line.contains("reading them again"))
                .anyMatch(line -> line.startsWith("the image's layers hold no rpm or dpkg database"));
    }

    /** A layer with no files: an empty tar archive (two zero blocks), gzipped. */
    private static byte[] emptyTarGz() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(new byte[1024]);
        }
        return out.toByteArray();
    }
}
