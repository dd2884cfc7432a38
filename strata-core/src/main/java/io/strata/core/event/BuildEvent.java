package io.strata.core.event;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StepTiming;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything that happens to a build travels as one of these, to every listener: the store records
 * them, the CLI shows progress from them, a REST stream or a controller can follow them.
 */
public sealed interface BuildEvent {
    BuildId buildId();

    Instant at();

    /**
     * The same event told of build {@code id}: a multi-platform build's new worker record that
     * re-attached to the pod of an earlier worker record (its label names the old id) takes the
     * pod's events as its own. One exhaustive switch, so a new kind of event cannot be forgotten.
     */
    default BuildEvent withBuildId(BuildId id) {
        return switch (this) {
            case StateChanged e -> new StateChanged(id, e.at(), e.state(), e.failure());
            case StepStarted e -> new StepStarted(id, e.at(), e.step(), e.index(), e.total());
            case StepFinished e -> new StepFinished(id, e.at(), e.timing(), e.detail());
            case LogEmitted e -> new LogEmitted(id, e.at(), e.line());
            case SourceCheckedOut e -> new SourceCheckedOut(id, e.at(), e.commitId());
            case ImagePushed e -> new ImagePushed(id, e.at(), e.output());
            case MetadataExported e -> new MetadataExported(id, e.at(), e.kojiMetadataJson());
            case Progress e -> new Progress(id, e.at(), e.activity(), e.done(), e.total(), e.bytes(), e.bytesPerSecond());
        };
    }

    record StateChanged(BuildId buildId, Instant at, BuildState state, Optional<Failure> failure) implements BuildEvent {}

    record StepStarted(BuildId buildId, Instant at, String step, int index, int total) implements BuildEvent {}

    record StepFinished(BuildId buildId, Instant at, StepTiming timing, Optional<String> detail) implements BuildEvent {}

    record LogEmitted(BuildId buildId, Instant at, LogLine line) implements BuildEvent {}

    record SourceCheckedOut(BuildId buildId, Instant at, String commitId) implements BuildEvent {}

    record ImagePushed(BuildId buildId, Instant at, ImageOutput output) implements BuildEvent {}

    record MetadataExported(BuildId buildId, Instant at, String kojiMetadataJson) implements BuildEvent {}

    /**
     * How far a long transfer has come: a fetch or checkout of the source, a push of the image.
     * Also written to the log as a line; this is the same for listeners that want the numbers.
     *
     * @param activity       {@code fetch} (git objects), {@code checkout} (files written) or {@code push} (blobs)
     * @param done           objects, files or blobs done so far
     * @param total          how many there are in all; 0 when not known
     * @param bytes          bytes moved so far
     * @param bytesPerSecond the rate so far
     */
    record Progress(BuildId buildId, Instant at, String activity, long done, long total, long bytes, double bytesPerSecond)
            implements BuildEvent {}
}
