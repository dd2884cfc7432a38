package io.strata.worker;

import io.strata.core.pipeline.StepContext;
import io.strata.registry.ImageReference;
import io.strata.registry.PreparedAttach;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attestations' push, begun by the step that runs before attach_sbom as soon as the pushed
 * image's digest is known (gather_image_content; {@link Referrers#prepare}: uploads opened, subject
 * and referrers tag read, empty config stored), taken by attach_sbom: the registry's answers to
 * those calls arrive while the image's packages are gathered instead of after. Per process, keyed
 * by build and image; a build that never reaches attach_sbom (cancelled) leaves its entry, so at
 * most {@link #MAX_WAITING} are kept (a begun push that nobody takes costs only open uploads,
 * which the registry expires by itself).
 */
final class BegunPushes {
    static final int MAX_WAITING = 256;
    /** The step that takes the push begun for it. */
    static final String TAKER = "attach_sbom";

    private final Map<String, PreparedAttach> waiting = new ConcurrentHashMap<>();

    /**
     * Begins the push of the documents the plan's later steps will attach to the pushed image
     * (the SBOM, and the provenance when attach_provenance follows), when attach_sbom follows.
     */
    void beginFor(WorkerState state, StepContext context, RegistryClient registry) {
        if (!context.laterSteps().contains(TAKER) || state.pushed().isEmpty()) {
            return;
        }
        if (waiting.size() >= MAX_WAITING) {
            waiting.clear();
        }
        ImageReference image;
        try {
            image = image(state.pushed().get());
        } catch (RegistryException e) {
            return;  // attach_sbom reports it, with its context
        }
        int documents = context.laterSteps().contains(AttachSbomStep.PUSHED_WITH) ? 2 : 1;
        waiting.put(key(state), new Referrers(registry.reportingTo(context::log)).prepare(image, documents));
    }

    /** The push begun for this build's image, if an earlier step began it; taken once. */
    Optional<PreparedAttach> take(WorkerState state) {
        return Optional.ofNullable(waiting.remove(key(state)));
    }

    /** The pushed image, by its digest. */
    static ImageReference image(PushedImage pushed) throws RegistryException {
        return ImageReference.parse(pushed.repository()).pinnedTo(pushed.digest());
    }

    private static String key(WorkerState state) {
        return state.buildId().value() + " " + state.pushed().map(PushedImage::pullspec).orElse("");
    }
}
