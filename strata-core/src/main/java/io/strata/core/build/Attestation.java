package io.strata.core.build;

/**
 * A document attached to a pushed image in the registry as an OCI artifact whose subject is the
 * image manifest (docs/supply-chain.md).
 *
 * @param kind         {@code sbom} or {@code provenance}
 * @param artifactType the artifact's type: {@code application/vnd.cyclonedx+json} or {@code application/vnd.in-toto+json}
 * @param digest       the artifact manifest's digest, in the image's repository
 * @param signed       whether the document is a signed DSSE envelope
 * @param foundThrough how readers find it: {@code referrers-api} (the registry indexes it) or
 *                     {@code referrers-tag} (the {@code sha256-<hex>} tag Strata keeps)
 */
public record Attestation(String kind, String artifactType, String digest, boolean signed, String foundThrough) {}
