package io.strata.worker;

import io.strata.core.build.Attestation;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.StepContext;
import io.strata.registry.AttachedArtifact;
import io.strata.registry.ImageReference;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * What attach_sbom and attach_provenance share: pushing one document as an artifact whose subject
 * is the pushed image, then recording it with the image's output.
 */
final class Attach {
    private Attach() {}

    static WorkerState document(WorkerState state, StepContext context, RegistryClient registry, String kind,
            String artifactType, String layerMediaType, byte[] content, boolean signed) throws RegistryException {
        RegistryClient client = registry.reportingTo(context::log);
        Referrers referrers = new Referrers(client);
        PushedImage pushed = state.requirePushed();
        ImageReference repository = ImageReference.parse(pushed.repository());
        var subject = referrers.subject(repository.pinnedTo(pushed.digest()));
        // The source date, not now: the same commit gives the same artifact manifest, as it gives the same image.
        String created = DateTimeFormatter.ISO_INSTANT.format(state.requireSource().commitTime());
        AttachedArtifact attached = referrers.attach(repository, subject, artifactType, layerMediaType, content,
                Map.of("org.opencontainers.image.created", created));
        String through = attached.referrersApi() ? "referrers-api" : "referrers-tag";
        context.log("attached the " + kind + " (" + content.length + " bytes" + (signed ? ", signed" : "") + ") to "
                + pushed.pullspec() + " as " + repository.name() + "@" + attached.manifestDigest()
                + (attached.referrersApi() ? " (the registry indexes referrers)"
                        : " (listed in the referrers tag " + Referrers.referrersTag(pushed.digest()) + ")"));
        WorkerState done = state.withAttestation(new Attestation(kind, artifactType, attached.manifestDigest(), signed, through));
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), done.imageOutput()));
        return done;
    }
}
