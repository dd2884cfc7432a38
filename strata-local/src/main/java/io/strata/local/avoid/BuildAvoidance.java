package io.strata.local.avoid;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.ImageOutput;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.plan.Plan;
import io.strata.core.request.BuildRequest;
import io.strata.local.store.BuildAvoidanceRows;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.worker.BuildEnvironment;
import io.strata.worker.ContentKey;
import io.strata.worker.ImageIdentity;
import io.strata.worker.ImageReuse;
import io.strata.worker.KojiMetadata;
import io.strata.worker.KojiMetadataValidator;
import io.strata.worker.ReusedImage;
import io.strata.worker.ReleaseAllocator;
import io.strata.worker.TagPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides, from the content key, whether a build needs building (docs/builds.md, "Build
 * avoidance"), and when not, puts the earlier image to use:
 * <ul>
 * <li>a scratch build, or a build naming the release of a completed build with the same key (a
 *     resubmission), is that build's image re-tagged as the tag policy says ({@code reused_from});</li>
 * <li>any other non-scratch build with the key of a completed build gets a new config and manifest
 *     over that build's layers: a new release without a rebuild ({@code config_only_from}).</li>
 * </ul>
 * Only an earlier image still in the registry this engine pushes to counts; otherwise, or with
 * {@code no_cache}, the build runs.
 */
public final class BuildAvoidance {
    static final String COMPONENT = "com.redhat.component";

    /** What to do with a build. */
    public sealed interface Outcome {
        /** Build it; {@code why} says why nothing could be reused. */
        record Build(String why) implements Outcome {}

        /**
         * Done: the earlier build's image under this build's tags; {@code kojiMetadata} is this
         * build's own document (empty only if it could not be made complete).
         */
        record Reused(BuildId from, ImageOutput output, Optional<String> kojiMetadata) implements Outcome {}

        /** Done: a new config and manifest over the earlier build's layers; with its Koji metadata, as Reused. */
        record ConfigOnly(BuildId from, ImageOutput output, Optional<String> kojiMetadata) implements Outcome {}
    }

    private final BuildAvoidanceRows rows;
    private final ImageReuse reuse;
    private final ReleaseAllocator releases;
    private final String registryHost;
    private final BuildEnvironment environment;
    private final Clock clock;

    /** {@code environment}: what a reused build's Koji metadata says of the machine and Strata. */
    public BuildAvoidance(BuildAvoidanceRows rows, ImageReuse reuse, ReleaseAllocator releases,
            String registryHost, BuildEnvironment environment, Clock clock) {
        this.rows = rows;
        this.reuse = reuse;
        this.releases = releases;
        this.registryHost = registryHost;
        this.environment = environment;
        this.clock = clock;
    }

    public Outcome avoid(WorkerSpec spec, ContentKey key, Consumer<String> log) throws StrataException {
        BuildRequest request = spec.request();
        if (request.noCache()) {
            return new Outcome.Build("no_cache asked for a build");
        }
        Platform platform = Platform.fromKojiArch(spec.platform());
        java.time.Instant started = clock.instant();
        for (BuildAvoidanceRows.Candidate candidate : rows.completedWithKey(key.value(), spec.platform())) {
            ImageOutput earlier = candidate.image();
            if (candidate.build().equals(spec.buildId()) || !earlier.repository().startsWith(registryHost + "/")) {
                continue;
            }
            if (!reuse.available(earlier)) {
                log.accept("build " + candidate.build() + " had the same content key, but its image " + earlier.pullspec()
                        + " is no longer in the registry");
                continue;
            }
            // Named after the build that built the layers, not one that reused them.
            return use(new Use(spec, key, started, candidate.layersFrom(), earlier, platform), log);
        }
        return new Outcome.Build("no completed build with content key " + key.value() + " has its image in the registry");
    }

    /** One build about to put an earlier build's image to use. */
    private record Use(WorkerSpec spec, ContentKey key, java.time.Instant started, BuildId from, ImageOutput earlier,
            Platform platform) {}

    private Outcome use(Use use, Consumer<String> log) throws StrataException {
        WorkerSpec spec = use.spec();
        BuildRequest request = spec.request();
        ImageOutput earlier = use.earlier();
        Map<String, String> labels = earlier.labels();
        String earlierRelease = labels.getOrDefault("release", "");
        String asked = request.release() == null ? "" : request.release().strip();
        String uniqueTag = TagPolicy.uniqueTag(spec.buildId(), use.platform());
        List<String> floating = floatingTags(spec);
        if (request.scratch() || asked.equals(earlierRelease)) {
            ImageIdentity identity = identity(labels, earlierRelease);
            List<String> tags = TagPolicy.tagsFor(request, uniqueTag, identity, floating);
            ReusedImage reused = reuse.retag(earlier, tags, log);
            return new Outcome.Reused(use.from(), reused.output(),
                    kojiMetadata(use, identity, reused, KojiMetadata.Origin.REUSED, log));
        }
        String component = labels.getOrDefault(COMPONENT, request.component());
        String version = labels.getOrDefault("version", "");
        String release = asked;
        if (release.isEmpty()) {
            release = Integer.toString(releases.next(spec.buildId(), component, version));
        } else if (!releases.claim(spec.buildId(), component, version, release)) {
            throw new StrataException("RELEASE_ALREADY_BUILT", component + " " + version + "-" + release + " was already built",
                    "bump the release label, or leave it (and the request's release) out to get the next free one computed");
        }
        ImageIdentity identity = identity(labels, release);
        List<String> tags = TagPolicy.tagsFor(request, uniqueTag, identity, floating);
        String repository = registryHost + "/" + ImageReference.parse(earlier.repository()).repository();
        reuse.requirePrimaryTagFree(repository, identity.primaryTag(), component, use.platform());
        ReusedImage written = reuse.withNewRelease(earlier, repository, release, clock.instant(), tags, log);
        ImageIdentity writtenIdentity = identity(written.output().labels(), release);
        return new Outcome.ConfigOnly(use.from(), written.output(),
                kojiMetadata(use, writtenIdentity, written, KojiMetadata.Origin.CONFIG_ONLY, log));
    }

    /**
     * The Koji metadata of a build that built nothing: the same document a built image gets, with
     * this build's id, NVR and image, no builder among the tools (none ran), and the earlier image
     * it came from. A document that is not complete is left out (and said so): the image is in the
     * registry already, so that is no reason to fail the build.
     */
    private Optional<String> kojiMetadata(Use use, ImageIdentity identity, ReusedImage image, String kind,
            Consumer<String> log) {
        var input = new KojiMetadata.Input(use.spec().buildId().value(), use.spec().request(), use.key().commitId(), identity,
                image.output(), image.imageId(), image.manifestMediaType(), use.started(), clock.instant(),
                Map.of("strata", environment.strataVersion()), environment.hostOs(), environment.strataVersion(),
                Optional.empty(), Optional.of(new KojiMetadata.Origin(kind, use.from().value(), use.earlier().pullspec())));
        String json = KojiMetadata.toJson(input);
        List<String> problems = KojiMetadataValidator.problems(json);
        if (!problems.isEmpty()) {
            log.accept("no Koji metadata: the document is incomplete: " + String.join("; ", problems));
            return Optional.empty();
        }
        log.accept("Koji metadata: " + identity.component() + "-" + identity.version() + "-" + identity.release() + ", output "
                + image.output().pullspec() + " (" + kind.replace('_', '-') + " from build " + use.from() + ")");
        return Optional.of(json);
    }

    private static ImageIdentity identity(Map<String, String> labels, String release) {
        return new ImageIdentity(labels.getOrDefault(COMPONENT, ""), labels.getOrDefault("name", ""),
                labels.getOrDefault("version", ""), release, labels);
    }

    private static List<String> floatingTags(WorkerSpec spec) throws StrataException {
        return Plan.fromJson("build " + spec.buildId(), spec.planJson()).step("tag_and_push")
                .map(step -> step.stringListArg("floating_tags")).orElse(List.of());
    }
}
