package io.strata.core.store;

import io.strata.core.build.BuildId;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A running build's claim in the store: who runs it, where its workspace is, the process group of
 * the builder it runs right now (if any), when its owner last said it was alive, and whether
 * someone asked it to stop. Taken before the build moves to RUNNING, gone when it finishes; a
 * lease whose owner is gone marks a build nobody will finish (see docs/store.md, Leases).
 */
public record BuildLease(BuildId buildId, LeaseOwner owner, String workspace, OptionalLong processGroup,
        Instant heartbeatAt, boolean cancelRequested) {
    public BuildLease {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(processGroup, "processGroup");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    }
}
