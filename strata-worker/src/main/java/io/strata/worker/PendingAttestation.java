package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Background;
import io.strata.registry.PreparedAttach;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A document about the pushed image being written and stored in the registry (its blob, then its
 * artifact manifest) on a virtual thread of its own, while the build goes on; whoever finishes the
 * attachments ({@link Attach#finish}) waits for it and lists it in the referrers tag with the
 * others. Log lines written meanwhile are kept and put into the build log by that step, so they
 * are attributed to the step the document belongs to.
 */
final class PendingAttestation {
    /** Writes the document; may log. */
    @FunctionalInterface
    interface Writer {
        AttestationDocument write(Consumer<String> log) throws StrataException, InterruptedException;
    }

    /** The document and what the registry stored of it. */
    record Stored(AttestationDocument document, Referrers.StoredArtifact artifact) {}

    private final String kind;
    private final PreparedAttach through;
    private final Future<Stored> stored;
    private final KeptLines log;

    private PendingAttestation(String kind, PreparedAttach through, Future<Stored> stored, KeptLines log) {
        this.kind = kind;
        this.through = through;
        this.stored = stored;
        this.log = log;
    }

    /**
     * Starts writing a document of {@code kind} and storing it through {@code through} with
     * {@code registry} (whose retries are logged with the document's lines); returns at once.
     */
    static PendingAttestation begin(String kind, RegistryClient registry, PreparedAttach through, Writer writer) {
        KeptLines log = new KeptLines();
        Referrers referrers = new Referrers(registry.reportingTo(log));
        Future<Stored> task = Background.start("strata-attach-" + kind, () -> {
            AttestationDocument document = writer.write(log);
            return new Stored(document, referrers.store(through, document.document()));
        });
        return new PendingAttestation(kind, through, task, log);
    }

    /** {@code sbom} or {@code provenance}. */
    String kind() {
        return kind;
    }

    /** The preparation (uploads opened, subject and referrers tag read) it is stored through. */
    PreparedAttach through() {
        return through;
    }

    /** Waits until it is stored; its failure, whether writing or storing, thrown as it was. */
    Stored join() throws StrataException, InterruptedException {
        return Background.join(stored, "writing the " + kind);
    }

    /** The lines logged while it was written, in order; each given once. */
    List<String> drainLog() {
        return log.drain();
    }
}
