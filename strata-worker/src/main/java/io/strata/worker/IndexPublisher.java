package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.ImageOutput;
import io.strata.registry.Descriptor;
import io.strata.registry.ImageIndex;
import io.strata.registry.ImageReference;
import io.strata.registry.ManifestList;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * group_manifests of a multi-platform build: joins the workers' images (each already pushed under
 * its platform-suffixed unique tag) into one image index, an OCI index or a docker manifest list,
 * and pushes it under the build's unique tag, then its primary and floating tags: the same bytes
 * under each. When any push fails the index is deleted again, so no tag of the build is left
 * pointing at a half-published index (the worker images stay under their own tags, as in OSBS).
 */
public final class IndexPublisher {
    private final RegistryClient registry;
    private final IndexAttestations attestations;

    public IndexPublisher(RegistryClient registry, IndexAttestations attestations) {
        this.registry = registry;
        this.attestations = attestations;
    }

    /**
     * Attaches the published index's own SBOM and provenance ({@link IndexAttestations}); returns
     * {@code index} with them recorded. The index stays pushed when this fails, as an image does
     * when its attach_sbom or attach_provenance fails.
     */
    public ImageOutput attest(ImageOutput index, List<PlatformImage> images, IndexAttestations.Origin origin,
            Consumer<String> log) throws StrataException {
        return attestations.attach(registry.reportingTo(log), index, images, origin, log);
    }

    /**
     * One platform's image for the index.
     *
     * @param platform the platform as the index names it (from osbs.conf's {@code architecture})
     */
    public record PlatformImage(Platform platform, ImageOutput output) {}

    /**
     * @param tags       unique tag first, then primary and floating
     * @param dockerList a docker manifest list instead of an OCI index
     * @return the index as an output of the build (platform {@value #INDEX_PLATFORM})
     */
    public ImageOutput publish(List<PlatformImage> images, List<String> tags, boolean dockerList, Consumer<String> log)
            throws StrataException {
        RegistryClient client = registry.reportingTo(log);
        ImageReference repository = ImageReference.parse(images.getFirst().output().repository());
        List<ManifestList.Entry> entries = new ArrayList<>();
        for (PlatformImage image : images) {
            Descriptor manifest = client.describe(repository.pinnedTo(image.output().digest()));
            entries.add(new ManifestList.Entry(manifest, image.platform()));
        }
        ImageIndex index = ImageIndex.of(dockerList, entries);
        byte[] bytes = index.toBytes();
        String digest = null;
        List<String> pushed = new ArrayList<>();
        try {
            for (String tag : tags) {
                digest = client.putManifest(repository, tag, index.mediaType(), bytes);
                pushed.add(tag);
                log.accept("tagged " + repository.name() + ":" + tag + " -> " + index.mediaType() + " " + digest);
            }
        } catch (StrataException e) {
            if (digest != null) {
                rollBack(client, repository, digest, pushed, log);
            }
            throw e;
        }
        log.accept("pushed image index " + repository.name() + "@" + digest + " of " + images.size() + " platforms ("
                + String.join(", ", images.stream().map(i -> i.platform().toString()).toList()) + ") as "
                + String.join(", ", pushed));
        return new ImageOutput(INDEX_PLATFORM, repository.name(), digest, pushed, bytes.length, List.of(), List.of(),
                images.getFirst().output().labels(), Map.of());
    }

    /** The version and release labels of an image, as the primary tag uses them. */
    public static String label(Map<String, String> labels, boolean release) {
        return labels.getOrDefault(release ? AddLabelsStep.RELEASE : AddLabelsStep.VERSION, "");
    }

    /** The platform name a build's index output is recorded under. */
    public static final String INDEX_PLATFORM = "index";

    /** A push that failed half-way: the manifest goes again, with every tag already pointing at it. */
    static void rollBack(RegistryClient client, ImageReference repository, String digest, List<String> pushed,
            Consumer<String> log) {
        try {
            client.deleteManifest(repository, digest);
            log.accept("push failed: removed " + repository.name() + "@" + digest + " again (tags " + pushed + ")");
        } catch (StrataException cleanup) {
            log.accept("push failed and the pushed manifest could not be removed: " + cleanup.getMessage()
                    + "; remove tags " + pushed + " by hand");
        }
    }
}
