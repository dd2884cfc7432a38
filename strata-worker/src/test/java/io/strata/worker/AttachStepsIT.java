package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.Step;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.registry.ImageReference;
import io.strata.registry.MediaTypes;
import io.strata.registry.Referrer;
import io.strata.registry.Referrers;
import io.strata.worker.supply.ProvenanceStatement;
import io.strata.worker.supply.SbomWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * attach_provenance against a real registry, around the work begun before it runs: the provenance
 * written and stored while gather_image_content runs, and the SBOM stored by attach_sbom, are
 * listed together; a provenance that cannot be written leaves the SBOM listed and recorded.
 */
class AttachStepsIT extends AgainstOpenRegistry {
    private static final BuildId ID = new BuildId("20261202-000000-a77ac4");

    @TempDir
    Path dir;

    final List<BuildEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void theProvenanceBegunDuringGatheringIsListedWithTheSbomInOneUpdateAndItsLogLinesAreAttachProvenances()
            throws Exception {
        WorkerState pushed = pushedImage("attach/early");
        AttachProvenanceStep provenance = new AttachProvenanceStep(client, environment(), config(Map.of()));
        List<WorkerState> seenByGathering = new CopyOnWriteArrayList<>();
        Step<WorkerState> gathering = provenance.before((state, context) -> {
            seenByGathering.add(state);
            return state;
        });
        Step<WorkerState> sbom = (state, context) -> state.withUnattached(PendingAttestation.begin("sbom",
                client, Attach.preparation(state, client, 1), log -> Attach.document("sbom",
                        SbomWriter.MEDIA_TYPE, SbomWriter.MEDIA_TYPE, "{\"bomFormat\":\"CycloneDX\"}".getBytes(
                                StandardCharsets.UTF_8), false, Instant.EPOCH)));

        WorkerState done = run(Map.of("gather_image_content", gathering, "attach_sbom", sbom, "attach_provenance", provenance),
                pushed, "gather_image_content", "attach_sbom", "attach_provenance");

        assertThat(seenByGathering.getFirst().attaching().pending()).extracting(PendingAttestation::kind)
                .as("begun before gather_image_content ran").containsExactly("provenance");
        assertThat(done.attestations()).extracting(a -> a.kind()).as("the SBOM first, as records always list them")
                .containsExactly("sbom", "provenance");
        ImageReference image = ImageReference.parse(done.requirePushed().repository());
        assertThat(new Referrers(client).list(image, done.requirePushed().digest())).extracting(Referrer::artifactType)
                .containsExactlyInAnyOrder(SbomWriter.MEDIA_TYPE, ProvenanceStatement.MEDIA_TYPE);
        assertThat(logOf("attach_provenance")).anyMatch(line -> line.startsWith("provenance is not signed"));
        assertThat(logOf("gather_image_content")).isEmpty();
        assertThat(done.attaching().pending()).isEmpty();
    }

    /**
     * Once both documents are begun, their referrers-tag update runs as soon as they are stored,
     * before attach_provenance runs; attach_provenance records what it listed.
     */
    @Test
    void theListingBegunAheadListsBothDocumentsBeforeAttachProvenanceRuns() throws Exception {
        WorkerState pushed = pushedImage("attach/listed-ahead");
        AttachProvenanceStep provenance = new AttachProvenanceStep(client, environment(), config(Map.of()));
        ImageReference image = ImageReference.parse(pushed.requirePushed().repository());
        List<List<String>> listedBeforeTheStep = new CopyOnWriteArrayList<>();
        EarlyStart sbom = (state, context) -> state.withUnattached(PendingAttestation.begin("sbom", client,
                Attach.preparation(state, client, 2), log -> Attach.document("sbom", SbomWriter.MEDIA_TYPE,
                        SbomWriter.MEDIA_TYPE, "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8), false,
                        Instant.EPOCH)));
        EarlyStart both = sbom.then(provenance).then(Attach.listingAhead(client));
        Step<WorkerState> gathering = both.before((state, context) -> {
            assertThat(state.attaching().listing()).isPresent();
            long until = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            List<String> listed = List.of();
            while (listed.size() < 2 && System.nanoTime() < until) {
                Thread.sleep(20);
                listed = new Referrers(client).list(image, state.requirePushed().digest()).stream()
                        .map(Referrer::artifactType).toList();
            }
            listedBeforeTheStep.add(listed);
            return state;
        });

        WorkerState done = run(Map.of("gather_image_content", gathering, "attach_sbom", (state, context) -> state,
                "attach_provenance", provenance), pushed, "gather_image_content", "attach_sbom", "attach_provenance");

        assertThat(listedBeforeTheStep).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactlyInAnyOrder(SbomWriter.MEDIA_TYPE, ProvenanceStatement.MEDIA_TYPE);
        assertThat(done.attestations()).extracting(a -> a.kind()).containsExactly("sbom", "provenance");
        assertThat(done.attestations()).allSatisfy(a -> assertThat(a.digest()).startsWith("sha256:"));
        assertThat(new Referrers(client).list(image, done.requirePushed().digest())).as("each listed once")
                .extracting(Referrer::artifactType).containsExactlyInAnyOrder(SbomWriter.MEDIA_TYPE, ProvenanceStatement.MEDIA_TYPE);
        assertThat(logOf("attach_provenance")).anyMatch(line -> line.startsWith("attached the sbom"))
                .anyMatch(line -> line.startsWith("attached the provenance"));
    }

    @Test
    void aProvenanceThatCannotBeWrittenLeavesTheSbomListedAndRecordedAndFailsTheStep() throws Exception {
        WorkerState pushed = pushedImage("attach/unsigned");
        // The key checked before the build went missing during it.
        AttachProvenanceStep provenance = new AttachProvenanceStep(client, environment(),
                config(Map.of("strata_signing_key", dir.resolve("gone.pem").toString())));
        Step<WorkerState> sbom = (state, context) -> state.withUnattached(PendingAttestation.begin("sbom",
                client, Attach.preparation(state, client, 2), log -> Attach.document("sbom",
                        SbomWriter.MEDIA_TYPE, SbomWriter.MEDIA_TYPE, "{\"bomFormat\":\"CycloneDX\"}".getBytes(
                                StandardCharsets.UTF_8), false, Instant.EPOCH)));

        assertThatThrownBy(() -> run(Map.of("attach_sbom", sbom, "attach_provenance", provenance), pushed,
                "attach_sbom", "attach_provenance"))
                .isInstanceOf(StrataException.class)
                .satisfies(e -> assertThat(((StrataException) e).reason()).isEqualTo("SIGNING_KEY_INVALID"));

        ImageReference image = ImageReference.parse(pushed.requirePushed().repository());
        assertThat(new Referrers(client).list(image, pushed.requirePushed().digest())).extracting(Referrer::artifactType)
                .containsExactly(SbomWriter.MEDIA_TYPE);
        assertThat(events).filteredOn(BuildEvent.ImagePushed.class::isInstance)
                .map(e -> ((BuildEvent.ImagePushed) e).output().attestations().stream().map(a -> a.kind()).toList())
                .containsExactly(List.of("sbom"));
    }

    @Test
    void theDocumentsUploadsAreOpenedWhileTheImageIsBuiltOnlyWhenThePlanAttachesDocuments() throws Exception {
        EarlyStart opening = (state, context) -> Attach.openUploads(state, context, client, registry.host());
        List<WorkerState> seenByTheBuild = new CopyOnWriteArrayList<>();
        Step<WorkerState> build = opening.before((state, context) -> {
            seenByTheBuild.add(state);
            return state;
        });
        Step<WorkerState> nothing = (state, context) -> state;
        WorkerState identified = pushedImage("attach/opened").withAttaching(Attaching.NONE);

        run(Map.of("buildah_build", build, "attach_sbom", nothing), identified, "buildah_build", "attach_sbom");
        run(Map.of("buildah_build", build), identified, "buildah_build");

        assertThat(seenByTheBuild.get(0).attaching().uploads()).get()
                .satisfies(uploads -> assertThat(uploads.repository().name()).isEqualTo(registry.host() + "/attach/opened"));
        assertThat(seenByTheBuild.get(1).attaching().uploads()).as("no document to attach").isEmpty();
    }

    private WorkerState run(Map<String, Step<WorkerState>> steps, WorkerState initial, String... plan) throws Exception {
        var executor = new PlanExecutor<>(steps, events::add, Clock.systemUTC(), UnaryOperator.identity());
        List<PlanStep> planned = java.util.Arrays.stream(plan)
                .map(name -> new PlanStep(name, StepPhase.POSTBUILD, true, false, Map.of())).toList();
        return executor.execute(ID, new Plan("worker", 6, planned), initial, 0);
    }

    private List<String> logOf(String step) {
        return events.stream().filter(BuildEvent.LogEmitted.class::isInstance).map(e -> ((BuildEvent.LogEmitted) e).line())
                .filter(line -> line.step().equals(step)).map(line -> line.text()).toList();
    }

    /** A state after tag_and_push: a one-layer image pushed through the registry API. */
    private WorkerState pushedImage(String name) throws Exception {
        OpenRegistry.OneLayerImage image = open.oneLayerImage(name,
                "not a real layer: nobody reads it here".getBytes(StandardCharsets.UTF_8),
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        String digest = client.blobs().putManifest(image.repository().withTag("1"), "1", MediaTypes.OCI_MANIFEST,
                image.manifest());
        return OpenRegistry.identified(ID, dir, name).withPushed(new PushedImage(image.repository().toString(), digest,
                List.of("1"), image.size(), List.of(image.layerDigest())));
    }

    private static BuildEnvironment environment() {
        return new BuildEnvironment("1.0", "0.1.0", "linux", BuildEnvironment.DOCKER_V2_MANIFEST);
    }

    private Configuration config(Map<String, String> overrides) throws Exception {
        return ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), overrides, Map.of(),
                dir.resolve("no-osbs.conf"), dir)).config();
    }
}
