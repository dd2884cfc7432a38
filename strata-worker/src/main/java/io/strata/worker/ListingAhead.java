package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Background;
import io.strata.registry.AttachedArtifact;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The referrers-tag update listing a build's documents, begun on a virtual thread as soon as every
 * document the plan attaches is being stored, and made once all of them are: it overlaps the setting
 * of the image's tags instead of following them. Whoever finishes the attachments ({@link Attach#finish})
 * takes its result when it finishes the very documents it covers, and lists them itself as before
 * when it does not or when it failed (a document that could not be stored, a registry refusing the
 * update): listing twice only writes the same index again.
 */
final class ListingAhead {
    private final List<PendingAttestation> documents;
    private final Future<List<AttachedArtifact>> listed;
    private final KeptLines log;

    private ListingAhead(List<PendingAttestation> documents, Future<List<AttachedArtifact>> listed, KeptLines log) {
        this.documents = documents;
        this.listed = listed;
        this.log = log;
    }

    /** Begins listing {@code documents} (in the order they are recorded) once all of them are stored; returns at once. */
    static ListingAhead begin(List<PendingAttestation> documents, RegistryClient registry) {
        List<PendingAttestation> all = List.copyOf(documents);
        KeptLines log = new KeptLines();
        Referrers referrers = new Referrers(registry.reportingTo(log));
        Future<List<AttachedArtifact>> listed = Background.start("strata-attach-listing", () -> {
            List<Referrers.StoredArtifact> stored = new ArrayList<>();
            for (PendingAttestation document : all) {
                stored.add(document.join().artifact());
            }
            return referrers.listInReferrersTag(all.getFirst().through(), stored);
        });
        return new ListingAhead(all, listed, log);
    }

    /** Whether it lists exactly {@code pending} (the same documents, in the same order). */
    boolean covers(List<PendingAttestation> pending) {
        if (pending.size() != documents.size()) {
            return false;
        }
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i) != documents.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** What was listed, one per document in order; empty when the listing failed (the caller lists them itself). */
    Optional<List<AttachedArtifact>> join() throws InterruptedException {
        try {
            return Optional.of(Background.join(listed, "listing the documents"));
        } catch (StrataException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The lines logged meanwhile (the registry's retries), in order; each given once. */
    List<String> drainLog() {
        return log.drain();
    }
}
