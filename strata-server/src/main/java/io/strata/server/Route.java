package io.strata.server;

import io.javalin.http.HandlerType;

/**
 * One route of the API: method, path (Javalin's and OpenAPI's {@code {param}} syntax alike) and
 * whether it needs a token. {@code OpenApiRoutesTest} holds the routes the server really serves
 * and {@code openapi.json} to each other.
 */
record Route(HandlerType method, String path, boolean authenticated, ApiHandler handler) {

    /** A handler that may refuse with a {@link io.strata.core.StrataException}; {@code caller} is null on open routes. */
    @FunctionalInterface
    interface ApiHandler {
        void handle(io.javalin.http.Context ctx, io.strata.core.service.Caller caller) throws Exception;
    }
}
