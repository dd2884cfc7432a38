package io.strata.registry;

/**
 * An artifact pushed with a subject.
 *
 * @param manifestDigest   digest of the artifact's manifest
 * @param blobDigest       digest of its one layer: the document itself
 * @param referrersApi     true when the registry answered with {@code OCI-Subject}, i.e. it indexes
 *                         referrers itself; false when Strata kept the referrers tag instead
 */
public record AttachedArtifact(String manifestDigest, String blobDigest, boolean referrersApi) {}
