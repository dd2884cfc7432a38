package io.strata.core.build;

import java.util.List;
import java.util.Map;

/**
 * What one build put into the registry and what is in it.
 *
 * @param platform       the CPU platform built (Koji arch name)
 * @param repository     registry host and repository, e.g. {@code 127.0.0.1:5000/hello}
 * @param digest         the manifest digest the registry holds
 * @param tags           every tag pushed, unique tag first
 * @param sizeBytes      sum of the compressed layer sizes plus the config
 * @param layerDigests   layer digests, bottom first
 * @param components     installed rpm packages (empty when the image has no rpm database)
 * @param labels         the labels the image carries
 * @param parentImages   each parent image as written in the Dockerfile -> the digest-pinned reference used
 * @param attestations   the SBOM and provenance attached to the image in the registry (none in records of
 *                       builds from before they existed)
 */
public record ImageOutput(
        String platform,
        String repository,
        String digest,
        List<String> tags,
        long sizeBytes,
        List<String> layerDigests,
        List<RpmComponent> components,
        Map<String, String> labels,
        Map<String, String> parentImages,
        List<Attestation> attestations) {

    /** An output without attestations: what a build records before they are attached. */
    public ImageOutput(String platform, String repository, String digest, List<String> tags, long sizeBytes,
            List<String> layerDigests, List<RpmComponent> components, Map<String, String> labels,
            Map<String, String> parentImages) {
        this(platform, repository, digest, tags, sizeBytes, layerDigests, components, labels, parentImages, List.of());
    }

    public ImageOutput {
        tags = List.copyOf(tags);
        layerDigests = List.copyOf(layerDigests);
        components = List.copyOf(components);
        labels = Map.copyOf(labels);
        parentImages = Map.copyOf(parentImages);
        attestations = attestations == null ? List.of() : List.copyOf(attestations);
    }

    /** The reference to pull this exact image: {@code repository@digest}. */
    public String pullspec() {
        return repository + "@" + digest;
    }
}
