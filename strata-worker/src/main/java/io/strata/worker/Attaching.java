package io.strata.worker;

import io.strata.registry.UploadsAhead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Documents being attached to the build's image, not yet listed in its referrers tag.
 *
 * @param uploads uploads opened in the image's repository while it was built (before buildah_build)
 * @param pending documents being written and stored: attach_provenance's, begun during
 *                gather_image_content, and attach_sbom's
 */
public record Attaching(Optional<UploadsAhead> uploads, List<PendingAttestation> pending) {
    public static final Attaching NONE = new Attaching(Optional.empty(), List.of());

    public Attaching {
        pending = List.copyOf(pending);
    }

    Attaching withUploads(UploadsAhead value) {
        return new Attaching(Optional.of(value), pending);
    }

    Attaching with(PendingAttestation value) {
        List<PendingAttestation> all = new ArrayList<>(pending);
        all.add(value);
        return new Attaching(uploads, all);
    }

    /** Whether a document of {@code kind} ({@code sbom}, {@code provenance}) is being written or stored. */
    boolean begun(String kind) {
        return pending.stream().anyMatch(document -> document.kind().equals(kind));
    }

    /** Without the pending document of {@code kind} (one begun early that its step writes again). */
    Attaching without(String kind) {
        return new Attaching(uploads, pending.stream().filter(document -> !document.kind().equals(kind)).toList());
    }

    /** Every pending document listed: nothing left waiting (uploads opened ahead and not taken expire by themselves). */
    Attaching listed() {
        return NONE;
    }
}
