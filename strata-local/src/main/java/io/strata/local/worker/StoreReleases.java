package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.store.BuildStore;
import io.strata.worker.ReleaseAllocator;

/** The worker's release numbers, reserved in the build store so that they hold across processes and retries. */
record StoreReleases(BuildStore store) implements ReleaseAllocator {
    @Override
    public int next(BuildId build, String component, String version) throws StrataException {
        return store.reserveReleaseFor(build, component, version);
    }

    @Override
    public boolean claim(BuildId build, String component, String version, String release) throws StrataException {
        return store.reserveReleaseFor(build, component, version, release);
    }
}
