package io.strata.cli.build;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.config.Configuration;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import java.util.List;
import java.util.Optional;

/** The builds of this machine's store (or the PostgreSQL store the configuration names). */
final class StoreBuildSource implements BuildSource {
    private final BuildStore store;

    StoreBuildSource(Configuration config) throws StrataException {
        this.store = StoreAccess.open(config);
    }

    @Override
    public BuildRecord find(String id) throws StrataException {
        return StoreAccess.find(store, id);
    }

    @Override
    public List<BuildSummary> list(Optional<String> component, Optional<BuildState> state, int limit)
            throws StrataException {
        return store.list(new BuildQuery(component, state, limit));
    }

    @Override
    public List<LogLine> logs(BuildId id, long afterSequence, int limit) throws StrataException {
        return store.logs(id, afterSequence, limit);
    }

    /**
     * The request is stored with the build's lease; the running process sees it at its next
     * heartbeat, stops buildah and records CANCELLED.
     */
    @Override
    public BuildRecord cancel(String id) throws StrataException {
        BuildRecord build = StoreAccess.find(store, id);
        if (build.state().isTerminal() || !store.requestCancel(build.id())) {
            BuildRecord now = StoreAccess.find(store, id);
            throw new StrataException(CancelBuildCommand.BUILD_NOT_RUNNING, "build " + id + " is " + now.state()
                    + (now.state().isTerminal() ? " already" : " and not running in any strata process")
                    + "; there is nothing to cancel",
                    "see `strata get-build " + id + "`");
        }
        return build;
    }

    @Override
    public void whileWaiting() throws StrataException {
        StoreAccess.reconcile(store);
    }

    @Override
    public void close() throws StrataException {
        store.close();
    }
}
