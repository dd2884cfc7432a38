package io.strata.worker;

import io.strata.registry.Referrers;

/**
 * A document written about the pushed image and to be attached to it.
 *
 * @param kind     {@code sbom} or {@code provenance}, as the record lists it
 * @param document what is pushed: artifact type, layer media type, bytes, annotations
 * @param signed   whether the document is a signed envelope
 */
public record AttestationDocument(String kind, Referrers.Document document, boolean signed) {}
