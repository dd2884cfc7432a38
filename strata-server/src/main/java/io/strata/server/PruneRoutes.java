package io.strata.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.core.service.OperationsReasons;
import io.strata.core.service.ServiceException;
import io.strata.local.ops.OperatorDuration;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /api/v1/prune?keep_younger_than=720h}: what {@code strata prune-builds} does on the
 * server's own store and Strata home, for admins; answers the {@link io.strata.local.ops.PruneReport}.
 */
final class PruneRoutes {
    static final String PRUNE = "/api/v1/prune";
    static final String KEEP = "keep_younger_than";

    private final ServiceOperations.Pruning pruning;

    PruneRoutes(ServiceOperations.Pruning pruning) {
        this.pruning = pruning;
    }

    List<Route> routes() {
        return List.of(new Route(HandlerType.POST, PRUNE, true, this::prune));
    }

    private void prune(Context ctx, Caller caller) throws StrataException {
        if (!caller.admin()) {
            throw new ServiceException(OperationsReasons.ADMIN_REQUIRED, "only an admin may prune builds; "
                    + caller.user() + " is not one", "ask an admin, or use an admin token (strata tokens create --admin)");
        }
        // DURATION_INVALID (400) names the parameter; `strata prune-builds --server` checks its flag before it asks.
        Duration keep = OperatorDuration.parse(QueryParams.text(ctx, KEEP).orElse(""), KEEP);
        BuildRoutes.json(ctx, 200, pruning.prune(keep));
    }
}
