package io.strata.worker;

import io.strata.registry.SubjectManifest;
import io.strata.registry.UploadsAhead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Documents being attached to the build's image, not yet listed in its referrers tag.
 *
 * @param uploads uploads opened in the image's repository while it was built (before buildah_build)
 * @param pending documents being written and stored: attach_provenance's and attach_sbom's
 * @param subject the pushed manifest's descriptor, from tag_and_push's read-back of it (the documents'
 *                subject: no read of their own)
 * @param listing the pending documents' referrers-tag update, begun to run once they are all stored
 */
public record Attaching(Optional<UploadsAhead> uploads, List<PendingAttestation> pending, Optional<Subject> subject,
        Optional<ListingAhead> listing) {
    public static final Attaching NONE = new Attaching(Optional.empty(), List.of(), Optional.empty(), Optional.empty());

    /** The descriptor of manifest {@code digest}, being read. */
    public record Subject(String digest, Future<SubjectManifest> manifest) {}

    public Attaching {
        pending = List.copyOf(pending);
    }

    Attaching withUploads(UploadsAhead value) {
        return new Attaching(Optional.of(value), pending, subject, listing);
    }

    Attaching withSubject(String digest, Future<SubjectManifest> manifest) {
        return new Attaching(uploads, pending, Optional.of(new Subject(digest, manifest)), listing);
    }

    Attaching withListing(ListingAhead value) {
        return new Attaching(uploads, pending, subject, Optional.of(value));
    }

    Attaching with(PendingAttestation value) {
        List<PendingAttestation> all = new ArrayList<>(pending);
        all.add(value);
        return new Attaching(uploads, all, subject, listing);
    }

    /** Whether a document of {@code kind} ({@code sbom}, {@code provenance}) is being written or stored. */
    boolean begun(String kind) {
        return pending.stream().anyMatch(document -> document.kind().equals(kind));
    }

    /** Without the pending document of {@code kind} (one begun early that its step writes again). */
    Attaching without(String kind) {
        return new Attaching(uploads, pending.stream().filter(document -> !document.kind().equals(kind)).toList(), subject, listing);
    }

    /** Every pending document listed: nothing left waiting (uploads opened ahead and not taken expire by themselves). */
    Attaching listed() {
        return NONE;
    }
}
