package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;

/**
 * Hands out release numbers so that no two builds of a component+version share one, per build: a
 * build tried again gets the release it had, so no number is burnt or reused. The worker knows no
 * store; whoever runs it passes an allocator backed by one (strata-local's {@code StoreReleases}).
 */
public interface ReleaseAllocator {
    /** The release of the build: the one it was given before, else the next free one, reserved for it. */
    int next(BuildId build, String component, String version) throws StrataException;

    /** Reserves an explicit release for the build; false when another build already has it. */
    boolean claim(BuildId build, String component, String version, String release) throws StrataException;
}
