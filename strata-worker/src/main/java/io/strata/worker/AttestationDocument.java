package io.strata.worker;

import io.strata.registry.PreparedAttach;
import io.strata.registry.Referrers;
import java.util.Optional;

/**
 * A document written about the pushed image and to be attached to it.
 *
 * @param kind     {@code sbom} or {@code provenance}, as the record lists it
 * @param document what is pushed: artifact type, layer media type, bytes, annotations
 * @param signed   whether the document is a signed envelope
 * @param pushBegun the registry calls of its push begun while it was written (attach_sbom begins
 *                  them for its SBOM and the provenance after it), to be finished by whoever pushes it
 */
public record AttestationDocument(String kind, Referrers.Document document, boolean signed,
        Optional<PreparedAttach> pushBegun) {
    public AttestationDocument(String kind, Referrers.Document document, boolean signed) {
        this(kind, document, signed, Optional.empty());
    }

    /** This document, with its push begun by {@code prepared}. */
    AttestationDocument pushedThrough(PreparedAttach prepared) {
        return new AttestationDocument(kind, document, signed, Optional.of(prepared));
    }
}
