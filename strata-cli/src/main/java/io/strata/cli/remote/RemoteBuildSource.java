package io.strata.cli.remote;

import io.strata.cli.build.BuildSource;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildPage;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.core.store.BuildSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The builds of a build service, as the verbs read them. A listing longer than the service's page
 * is read page by page, so {@code list-builds --limit 5000} means the same against a server.
 */
public final class RemoteBuildSource implements BuildSource {
    private final RemoteBuildService service;

    public RemoteBuildSource(RemoteBuildService service) {
        this.service = service;
    }

    public RemoteBuildService service() {
        return service;
    }

    @Override
    public BuildRecord find(String id) throws StrataException {
        return service.get(id(id), null);
    }

    @Override
    public List<BuildSummary> list(Optional<String> component, Optional<BuildState> state, int limit)
            throws StrataException {
        List<BuildSummary> builds = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            int page = Math.min(limit - builds.size(), BuildListQuery.MAX_LIMIT);
            BuildPage answer = service.list(new BuildListQuery(state, component, Optional.empty(), Optional.empty(),
                    Optional.empty(), page, cursor), null);
            builds.addAll(answer.builds());
            cursor = answer.nextCursor();
        } while (cursor.isPresent() && builds.size() < limit);
        return List.copyOf(builds);
    }

    @Override
    public List<LogLine> logs(BuildId id, long afterSequence, int limit) throws StrataException {
        return service.logs(id, afterSequence, limit, null);
    }

    @Override
    public BuildRecord cancel(String id) throws StrataException {
        return service.cancel(id(id), null);
    }

    @Override
    public void whileWaiting() {
        // the server reconciles its own builds
    }

    @Override
    public void close() {
        // HttpClient holds no connection the command must close
    }

    /** The same refusal as the local store's for text that is not a build id, before any request. */
    static BuildId id(String text) throws ServiceException {
        if (!BuildId.isValid(text)) {
            throw new ServiceException(ServiceReasons.BUILD_ID_INVALID,
                    "'" + text + "' is not a build id (they look like 20261122-004512-3f9a1c)",
                    "copy the id from `strata list-builds`");
        }
        return new BuildId(text);
    }
}
