package io.strata.core.build;

import java.util.EnumSet;
import java.util.Set;

/** The life of a build. Terminal states never change again. */
public enum BuildState {
    NEW, PENDING, RUNNING, COMPLETE, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }

    /** States this one may move to; anything else is a programming error the store refuses. */
    public Set<BuildState> successors() {
        return switch (this) {
            case NEW -> EnumSet.of(PENDING, RUNNING, FAILED, CANCELLED);
            case PENDING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            // PENDING again: a queued build whose attempt failed transiently, or whose process died, waits for
            // its next attempt (docs/architecture.md, The queue).
            case RUNNING -> EnumSet.of(PENDING, COMPLETE, FAILED, CANCELLED);
            case COMPLETE, FAILED, CANCELLED -> EnumSet.noneOf(BuildState.class);
        };
    }

    public boolean canMoveTo(BuildState next) {
        return successors().contains(next);
    }
}
