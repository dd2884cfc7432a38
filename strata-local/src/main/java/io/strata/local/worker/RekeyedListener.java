package io.strata.local.worker;

import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import java.util.Optional;

/**
 * Tells a worker's events as another build's: a multi-platform build's new worker record that
 * re-attached to the pod of the record before it (the pod's label names that earlier build, so the
 * engine reports under its id) takes the pod's events as its own. A note line goes first, on the
 * engine's thread with the rest, so it takes its place in the record's log before the pod's lines.
 */
final class RekeyedListener implements BuildListener {
    private final BuildId to;
    private final BuildListener next;
    private Optional<LogLine> note;

    RekeyedListener(BuildId to, LogLine note, BuildListener next) {
        this.to = to;
        this.next = next;
        this.note = Optional.of(note);
    }

    @Override
    public synchronized void on(BuildEvent event) {
        note.ifPresent(line -> next.on(new BuildEvent.LogEmitted(to, line.at(), line)));
        note = Optional.empty();
        next.on(event.withBuildId(to));
    }
}
