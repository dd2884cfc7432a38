package io.strata.worker;

import io.strata.core.build.Attestation;
import io.strata.core.build.BuildId;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.RpmComponent;
import io.strata.core.engine.ResolvedInputs;
import io.strata.core.request.BuildRequest;
import io.strata.dockerfile.Dockerfile;
import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.git.CheckedOutSource;
import io.strata.registry.Platform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed state a worker build threads through its steps. Each step reads the fields earlier
 * steps filled in and returns a copy with its own added; nothing is looked up by string key.
 *
 * @param workspace      the build's private directory; removed when the build ends
 * @param source         the checked-out repository and commit (check_out_source)
 * @param dockerfile     the Dockerfile as edited so far (check_out_source, then every prebuild step)
 * @param pinnedParents  each parent image as written -> its digest-pinned reference (pin_base_images)
 * @param identity       name, version, release and the labels added (add_labels_in_dockerfile)
 * @param repoDir        directory of fetched .repo files mounted into RUN steps (inject_yum_repos)
 * @param imageId        the local image buildah built (buildah_build)
 * @param pushed         where the image went and its manifest facts (tag_and_push)
 * @param components     the rpm packages in the image (gather_image_content); empty when that step failed or is disabled
 * @param network        the network policy and allow-list the build's RUN steps had (buildah_build)
 * @param orchestrator   the multi-platform build this is one platform's worker build of; its
 *                       platforms share one release, and only the orchestrator tags the joined index
 * @param resolved       the commit and pinned parents build avoidance resolved before the worker started
 *                       (from the {@code WorkerSpec}): check_out_source and pin_base_images use them
 * @param attestations   the SBOM and provenance attached to the pushed image (attach_sbom, attach_provenance)
 * @param packages       the image's rpm and dpkg package databases (gather_image_content), for the SBOM
 * @param assembled      the image Strata assembled itself instead of buildah (buildah_build); its blobs
 *                       are in the registry, its manifest not yet under a tag
 * @param attaching      documents being attached to the image but not yet listed in its referrers
 *                       tag: uploads opened while it was built, the SBOM and the provenance begun
 *                       as soon as tag_and_push read the pushed manifest back; attach_provenance
 *                       lists both at once (one referrers-tag update)
 * @param gathering      the image's layers being read since tag_and_push read the manifest back
 *                       (gather_image_content's work, begun early); gather_image_content records what they settle
 * @param primaryTagCheck the labels of the image the primary tag points at, read while buildah builds;
 *                       tag_and_push refuses another component's tag with them before it pushes
 */
public record WorkerState(
        BuildId buildId,
        BuildRequest request,
        Platform platform,
        Optional<BuildId> orchestrator,
        Optional<ResolvedInputs> resolved,
        Path workspace,
        Instant startedAt,
        Optional<CheckedOutSource> source,
        Optional<Dockerfile> dockerfile,
        Map<String, String> pinnedParents,
        Optional<ImageIdentity> identity,
        Optional<Path> repoDir,
        Optional<String> imageId,
        Optional<PushedImage> pushed,
        Optional<List<RpmComponent>> components,
        Optional<io.strata.worker.network.NetworkGrant> network,
        List<Attestation> attestations,
        Optional<ImagePackages> packages,
        Optional<io.strata.worker.assembly.AssembledImage> assembled,
        Attaching attaching,
        Optional<PendingContent> gathering,
        Optional<PrimaryTagCheck> primaryTagCheck) {

    public WorkerState {
        Objects.requireNonNull(buildId);
        Objects.requireNonNull(request);
        Objects.requireNonNull(orchestrator);
        Objects.requireNonNull(resolved);
        pinnedParents = Map.copyOf(pinnedParents);
        attestations = List.copyOf(attestations);
        Objects.requireNonNull(attaching);
        Objects.requireNonNull(gathering);
        Objects.requireNonNull(primaryTagCheck);
    }

    public static WorkerState initial(BuildId buildId, BuildRequest request, Platform platform, Path workspace, Instant startedAt) {
        return initial(buildId, request, platform, Optional.empty(), workspace, startedAt);
    }

    public static WorkerState initial(BuildId buildId, BuildRequest request, Platform platform,
            Optional<BuildId> orchestrator, Path workspace, Instant startedAt) {
        return initial(buildId, request, platform, orchestrator, Optional.empty(), workspace, startedAt);
    }

    /** The state before the first step, with what was resolved about the inputs before the worker started. */
    public static WorkerState initial(BuildId buildId, BuildRequest request, Platform platform,
            Optional<BuildId> orchestrator, Optional<ResolvedInputs> resolved, Path workspace, Instant startedAt) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, Optional.empty(), Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Attaching.NONE, Optional.empty(), Optional.empty());
    }

    public WorkerState withSource(CheckedOutSource value, Dockerfile parsed) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, Optional.of(value), Optional.of(parsed),
                pinnedParents, identity, repoDir, imageId, pushed, components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withDockerfile(Dockerfile value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, Optional.of(value),
                pinnedParents, identity, repoDir, imageId, pushed, components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withPinnedParents(Dockerfile edited, Map<String, String> value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, Optional.of(edited),
                value, identity, repoDir, imageId, pushed, components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withIdentity(Dockerfile edited, ImageIdentity value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, Optional.of(edited),
                pinnedParents, Optional.of(value), repoDir, imageId, pushed, components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withRepoDir(Path value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, Optional.of(value), imageId, pushed, components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withImageId(String value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, Optional.of(value), pushed, components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withPushed(PushedImage value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, Optional.of(value), components, network, attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }

    /** The image Strata assembled itself: its id is the config digest, as buildah's image id is. */
    public WorkerState withAssembled(io.strata.worker.assembly.AssembledImage value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, Optional.of(value.imageId()), pushed, components, network, attestations,
                packages, Optional.of(value), attaching, gathering, primaryTagCheck);
    }

    /** The package databases gather_image_content read; its rpm list becomes the image's components too. */
    public WorkerState withPackages(ImagePackages value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, pushed, Optional.of(value.rpms()), network, attestations,
                Optional.of(value), assembled, attaching, gathering, primaryTagCheck);
    }

    public WorkerState withNetwork(io.strata.worker.network.NetworkGrant value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, pushed, components, Optional.of(value), attestations, packages, assembled, attaching, gathering, primaryTagCheck);
    }


    /** This state with {@code value} being stored, to be listed by a later step with its own document. */
    WorkerState withUnattached(PendingAttestation value) {
        return withAttaching(attaching.with(value));
    }

    /** This state with {@code value} as the documents being attached. */
    WorkerState withAttaching(Attaching value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, pushed, components, network, attestations, packages, assembled, value, gathering, primaryTagCheck);
    }

    /** This state with the unattached documents listed: {@code value} recorded for those stored, none left waiting. */
    public WorkerState withAttached(List<Attestation> value) {
        List<Attestation> all = new java.util.ArrayList<>(attestations);
        all.addAll(value);
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, pushed, components, network, all, packages, assembled, attaching.listed(), gathering, primaryTagCheck);
    }

    /** This state with the image's packages being read ({@code value}), for gather_image_content to record. */
    WorkerState withGathering(PendingContent value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, pushed, components, network, attestations, packages, assembled,
                attaching, Optional.of(value), primaryTagCheck);
    }

    /** This state with the primary tag's owner being read ({@code value}), for tag_and_push to judge. */
    WorkerState withPrimaryTagCheck(PrimaryTagCheck value) {
        return new WorkerState(buildId, request, platform, orchestrator, resolved, workspace, startedAt, source, dockerfile,
                pinnedParents, identity, repoDir, imageId, pushed, components, network, attestations, packages, assembled,
                attaching, gathering, Optional.of(value));
    }

    /** The output record of the pushed image, with its rpm packages when they were gathered. */
    ImageOutput imageOutput() {
        PushedImage image = requirePushed();
        return new ImageOutput(platform.kojiArch(), image.repository(), image.digest(), image.tags(), image.sizeBytes(),
                image.layerDigests(), components.orElse(List.of()), requireIdentity().labels(), pinnedParents, attestations);
    }

    /** The value an earlier step must have produced; a missing one means the plan is out of order. */
    static <T> T require(Optional<T> value, String field, String producedBy) {
        return value.orElseThrow(() -> new IllegalStateException(
                field + " is not known yet: step " + producedBy + " must run earlier in the plan"));
    }

    CheckedOutSource requireSource() {
        return require(source, "the source", "check_out_source");
    }

    Dockerfile requireDockerfile() {
        return require(dockerfile, "the Dockerfile", "check_out_source");
    }

    ImageIdentity requireIdentity() {
        return require(identity, "the image identity", "add_labels_in_dockerfile");
    }

    String requireImageId() {
        return require(imageId, "the built image", "buildah_build");
    }

    PushedImage requirePushed() {
        return require(pushed, "the pushed image", "tag_and_push");
    }

    /** The build a release is reserved for: the orchestrator's, so that every platform has the same one. */
    BuildId releaseOwner() {
        return orchestrator.orElse(buildId);
    }
}
