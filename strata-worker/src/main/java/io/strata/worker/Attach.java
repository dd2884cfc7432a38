package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.Attestation;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.StepContext;
import io.strata.registry.AttachedArtifact;
import io.strata.registry.ImageReference;
import io.strata.registry.PreparedAttach;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.registry.UploadsAhead;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What attach_sbom and attach_provenance share: documents stored as artifacts whose subject is
 * the pushed image, each as soon as it is written ({@link PendingAttestation}), then listed all at
 * once (one referrers-tag update) and recorded with the image's output.
 */
final class Attach {
    /** The record lists the SBOM before the provenance, whichever was begun first. */
    private static final Comparator<PendingAttestation> RECORD_ORDER =
            Comparator.comparing(pending -> pending.kind().equals("sbom") ? 0 : 1);

    /** The steps that attach a document each. */
    private static final java.util.Set<String> DOCUMENT_STEPS = java.util.Set.of(AttachSbomStep.NAME, AttachProvenanceStep.NAME);

    private Attach() {}

    /** A document about an image built from a commit of {@code sourceDate}. */
    static AttestationDocument document(String kind, String artifactType, String layerMediaType, byte[] content,
            boolean signed, Instant sourceDate) {
        // The source date, not now: the same commit gives the same artifact manifest, as it gives the same image.
        String created = DateTimeFormatter.ISO_INSTANT.format(sourceDate);
        return new AttestationDocument(kind, new Referrers.Document(artifactType, layerMediaType, content,
                Map.of("org.opencontainers.image.created", created)), signed);
    }

    /**
     * Begins opening uploads for the documents the plan's later steps attach, in the repository
     * the image will be pushed to ({@code registryHost} and the image's name), while the image is
     * built: the push of the documents then waits for none of those calls. Also warms up, once per
     * process, the code that writes the provenance, so the first build does not pay for it after its push.
     */
    static WorkerState openUploads(WorkerState state, StepContext context, RegistryClient registry, String registryHost) {
        long documents = context.laterSteps().stream().filter(DOCUMENT_STEPS::contains).count();
        if (documents == 0 || state.identity().isEmpty()) {
            return state;
        }
        if (context.laterSteps().contains(AttachProvenanceStep.NAME)) {
            AttachProvenanceStep.warmUpInBackground(state.request());
        }
        ImageReference repository;
        try {
            repository = ImageReference.parse(registryHost + "/" + state.requireIdentity().name());
        } catch (RegistryException e) {
            return state; // tag_and_push names the bad name, where a user expects a push to fail
        }
        return state.withAttaching(state.attaching().withUploads(new Referrers(registry).openUploads(repository,
                (int) documents)));
    }

    /**
     * The preparation of attaching documents to the pushed image that an earlier step began, else
     * one begun now, through the uploads opened while the image was built when there are some,
     * else with {@code uploads} uploads opened now.
     */
    static PreparedAttach preparation(WorkerState state, RegistryClient client, int uploads) throws RegistryException {
        PushedImage pushed = state.requirePushed();
        Optional<PreparedAttach> begun = state.attaching().pending().stream().map(PendingAttestation::through)
                .filter(prepared -> prepared.subjectDigest().equals(pushed.digest())).findFirst();
        if (begun.isPresent()) {
            return begun.get();
        }
        ImageReference image = ImageReference.parse(pushed.repository()).pinnedTo(pushed.digest());
        Referrers referrers = new Referrers(client);
        Optional<UploadsAhead> ahead = state.attaching().uploads()
                .filter(opened -> opened.repository().name().equals(image.name()));
        if (ahead.isEmpty()) {
            return referrers.prepare(image, uploads);
        }
        Optional<Attaching.Subject> readBack = state.attaching().subject().filter(subject -> subject.digest().equals(pushed.digest()));
        return readBack.isPresent() ? referrers.prepare(image, ahead.get(), readBack.get().manifest())
                : referrers.prepare(image, ahead.get());
    }

    /**
     * Begins the referrers-tag update of the documents once every one the plan attaches is being
     * stored ({@link ListingAhead}), so that it runs as soon as they are stored, while the image's
     * tags are still being set; {@link #finish} takes its result. Nothing when a document is not
     * begun yet, or the same documents' update is begun already.
     */
    static EarlyStart listingAhead(RegistryClient registry) {
        return (state, context) -> {
            long documents = context.laterSteps().stream().filter(DOCUMENT_STEPS::contains).count();
            List<PendingAttestation> pending = state.attaching().pending().stream().sorted(RECORD_ORDER).toList();
            if (documents == 0 || pending.size() != documents
                    || state.attaching().listing().filter(listing -> listing.covers(pending)).isPresent()) {
                return state;
            }
            return state.withAttaching(state.attaching().withListing(ListingAhead.begin(pending, registry)));
        };
    }

    /**
     * Waits for every document of {@code state} being stored, lists those stored in the referrers
     * tag (or takes the listing begun ahead for exactly these documents) and records them. When one could not be written or stored, the others are still listed
     * and recorded (the record shows what is in the registry) before its failure is thrown.
     */
    static WorkerState finish(WorkerState state, StepContext context, RegistryClient registry)
            throws StrataException, InterruptedException {
        List<PendingAttestation> pending = state.attaching().pending().stream().sorted(RECORD_ORDER).toList();
        if (pending.isEmpty()) {
            return state;
        }
        List<PendingAttestation.Stored> stored = new ArrayList<>();
        StrataException failure = null;
        for (PendingAttestation document : pending) {
            try {
                stored.add(document.join());
            } catch (StrataException e) {
                failure = failure != null ? failure : e;
            } finally {
                document.drainLog().forEach(context::log);
            }
        }
        WorkerState done = state.withAttached(List.of());
        Optional<ListingAhead> ahead = state.attaching().listing().filter(listing -> listing.covers(pending));
        Optional<List<AttachedArtifact>> listed = failure == null && ahead.isPresent() ? ahead.get().join() : Optional.empty();
        ahead.ifPresent(listing -> listing.drainLog().forEach(context::log));
        if (!stored.isEmpty()) {
            try {
                done = record(state, context, registry, pending.getFirst().through(), stored, listed);
            } catch (RegistryException e) {
                if (failure == null) {
                    throw e;
                }
                context.log("the documents that were stored could not be listed either: " + e.getMessage());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return done;
    }

    private static WorkerState record(WorkerState state, StepContext context, RegistryClient registry,
            PreparedAttach through, List<PendingAttestation.Stored> stored, Optional<List<AttachedArtifact>> listed)
            throws RegistryException {
        PushedImage pushed = state.requirePushed();
        ImageReference repository = ImageReference.parse(pushed.repository());
        List<AttachedArtifact> attached = listed.isPresent() ? listed.get() : new Referrers(registry.reportingTo(context::log))
                .listInReferrersTag(through, stored.stream().map(PendingAttestation.Stored::artifact).toList());
        List<AttestationDocument> documents = stored.stream().map(PendingAttestation.Stored::document).toList();
        WorkerState done = state.withAttached(recorded(repository, pushed.digest(), documents, attached, context::log));
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), done.imageOutput()));
        return done;
    }

    /** Pushes {@code documents} about the manifest {@code digest} of {@code repository} at once; what to record of each. */
    static List<Attestation> push(RegistryClient client, ImageReference repository, String digest,
            List<AttestationDocument> documents, Consumer<String> log) throws RegistryException {
        List<AttachedArtifact> attached = new Referrers(client).attachAll(repository.pinnedTo(digest),
                documents.stream().map(AttestationDocument::document).toList());
        return recorded(repository, digest, documents, attached, log);
    }

    private static List<Attestation> recorded(ImageReference repository, String digest,
            List<AttestationDocument> documents, List<AttachedArtifact> attached, Consumer<String> log) {
        List<Attestation> recorded = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            AttestationDocument document = documents.get(i);
            AttachedArtifact artifact = attached.get(i);
            log.accept("attached the " + document.kind() + " (" + document.document().content().length + " bytes"
                    + (document.signed() ? ", signed" : "") + ") to " + repository.name() + "@" + digest + " as "
                    + repository.name() + "@" + artifact.manifestDigest()
                    + (artifact.referrersApi() ? " (the registry indexes referrers)"
                            : " (listed in the referrers tag " + Referrers.referrersTag(digest) + ")"));
            recorded.add(new Attestation(document.kind(), document.document().artifactType(), artifact.manifestDigest(),
                    document.signed(), artifact.referrersApi() ? "referrers-api" : "referrers-tag"));
        }
        return recorded;
    }
}
