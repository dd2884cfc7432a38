package io.strata.cli.build;

import io.strata.core.StrataException;
import io.strata.core.service.BuildService;
import io.strata.cli.remote.RemoteBuildService;
import io.strata.local.worker.LocalServices;
import java.util.Optional;

/**
 * The build service a record command talks to: this machine's (the store, opened by
 * {@link LocalServices}) or a server's ({@code --server}, {@link RemoteBuildService}).
 * The commands print what either answers the same way, so output, {@code --json} and exit codes do
 * not depend on where the builds live.
 */
final class ServiceHandle implements AutoCloseable {
    private final BuildService builds;
    private final Optional<LocalServices> local;
    private final Optional<RemoteBuildService> remote;

    private ServiceHandle(BuildService builds, Optional<LocalServices> local, Optional<RemoteBuildService> remote) {
        this.builds = builds;
        this.local = local;
        this.remote = remote;
    }

    static ServiceHandle local(LocalServices services) {
        return new ServiceHandle(services.builds(), Optional.of(services), Optional.empty());
    }

    static ServiceHandle remote(RemoteBuildService service) {
        return new ServiceHandle(service, Optional.empty(), Optional.of(service));
    }

    BuildService builds() {
        return builds;
    }

    /**
     * Ends the builds on this machine whose process died, now and then ({@link LocalServices#endOrphanedBuildsIfDue}).
     * A server does that itself, so for one this does nothing.
     */
    void endOrphanedBuildsIfDue() throws StrataException {
        if (local.isPresent()) {
            local.get().endOrphanedBuildsIfDue();
        }
    }

    @Override
    public void close() throws StrataException {
        remote.ifPresent(RemoteBuildService::close);
        if (local.isPresent()) {
            local.get().close();
        }
    }
}
