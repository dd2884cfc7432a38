package io.strata.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import java.util.List;

/**
 * The {@code /api/v1/engines} routes: every engine and platform with its queue and drain state
 * (any caller), and drain/undrain (admins; the service answers ADMIN_REQUIRED otherwise).
 */
final class EngineRoutes {
    static final String ENGINES = "/api/v1/engines";
    static final String ENGINE = ENGINES + "/{name}";

    private final EngineService engines;

    EngineRoutes(EngineService engines) {
        this.engines = engines;
    }

    List<Route> routes() {
        return List.of(
                new Route(HandlerType.GET, ENGINES, true, this::list),
                new Route(HandlerType.POST, ENGINE + "/drain", true, this::drain),
                new Route(HandlerType.POST, ENGINE + "/undrain", true, this::undrain));
    }

    private void list(Context ctx, Caller caller) throws StrataException {
        BuildRoutes.json(ctx, 200, engines.engines(caller));
    }

    private void drain(Context ctx, Caller caller) throws StrataException {
        BuildRoutes.json(ctx, 200, engines.drain(ctx.pathParam("name"), caller));
    }

    private void undrain(Context ctx, Caller caller) throws StrataException {
        BuildRoutes.json(ctx, 200, engines.undrain(ctx.pathParam("name"), caller));
    }
}
