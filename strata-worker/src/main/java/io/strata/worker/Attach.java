package io.strata.worker;

import io.strata.core.build.Attestation;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.StepContext;
import io.strata.registry.AttachedArtifact;
import io.strata.registry.ImageReference;
import io.strata.registry.PreparedAttach;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What attach_sbom and attach_provenance share: pushing documents as artifacts whose subject is
 * the pushed image (all at once, one referrers-tag update for all), then recording them with the
 * image's output.
 */
final class Attach {
    private Attach() {}

    /** A document about an image built from a commit of {@code sourceDate}. */
    static AttestationDocument document(String kind, String artifactType, String layerMediaType, byte[] content,
            boolean signed, Instant sourceDate) {
        // The source date, not now: the same commit gives the same artifact manifest, as it gives the same image.
        String created = DateTimeFormatter.ISO_INSTANT.format(sourceDate);
        return new AttestationDocument(kind, new Referrers.Document(artifactType, layerMediaType, content,
                Map.of("org.opencontainers.image.created", created)), signed);
    }

    /** Pushes {@code documents} and whatever earlier steps left unattached; records them all. */
    static WorkerState documents(WorkerState state, StepContext context, RegistryClient registry,
            List<AttestationDocument> documents) throws RegistryException {
        List<AttestationDocument> all = new ArrayList<>(state.unattached());
        all.addAll(documents);
        PushedImage pushed = state.requirePushed();
        ImageReference repository = ImageReference.parse(pushed.repository());
        List<Attestation> attested = push(registry.reportingTo(context::log), repository, pushed.digest(), all,
                context::log);
        WorkerState done = state.withAttached(attested);
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), done.imageOutput()));
        return done;
    }

    /** Pushes {@code documents} about the manifest {@code digest} of {@code repository}; what to record of each. */
    static List<Attestation> push(RegistryClient client, ImageReference repository, String digest,
            List<AttestationDocument> documents, Consumer<String> log) throws RegistryException {
        Referrers referrers = new Referrers(client);
        // The calls attach_sbom began for these documents (uploads opened, subject and tag read), else begun now.
        PreparedAttach prepared = documents.stream().flatMap(document -> document.pushBegun().stream())
                .filter(candidate -> candidate.subjectDigest().equals(digest)).findFirst()
                .orElseGet(() -> referrers.prepare(repository.pinnedTo(digest), documents.size()));
        List<AttachedArtifact> attached = referrers.attachAll(prepared,
                documents.stream().map(AttestationDocument::document).toList());
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
