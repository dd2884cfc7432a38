package io.strata.cli.build;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.config.Configuration;
import io.strata.core.store.BuildStore;
import io.strata.core.store.StoreException;
import io.strata.local.buildah.WorkingContainers;
import io.strata.local.store.BuildStores;
import io.strata.local.worker.OrphanedBuilds;
import java.time.Clock;
import java.util.Optional;

/** Opens the store the configuration names and finds builds by the id a user typed. */
final class StoreAccess {
    private StoreAccess() {}

    /**
     * Opens the store and ends the builds whose process is gone (docs/store.md, Leases), so that no
     * command shows a killed build as RUNNING.
     */
    static BuildStore open(Configuration config) throws StrataException {
        BuildStore store = BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        try {
            reconcile(store, config);
        } catch (StrataException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    static void reconcile(BuildStore store, Configuration config) throws StrataException {
        new OrphanedBuilds(store, new WorkingContainers(LocalBuilds.buildahOptions(config)), Clock.systemUTC(), System.err)
                .reconcile();
    }

    static BuildRecord find(BuildStore store, String id) throws StrataException {
        if (!BuildId.isValid(id)) {
            throw new StoreException("BUILD_ID_INVALID", "'" + id + "' is not a build id (they look like 20261122-004512-3f9a1c)",
                    "copy the id from `strata list-builds`");
        }
        return store.find(new BuildId(id)).orElseThrow(() -> new StoreException("BUILD_NOT_FOUND",
                "no build " + id + " in the store", "list builds with `strata list-builds`"));
    }
}
