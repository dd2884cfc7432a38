package io.strata.server;

import io.javalin.http.Context;
import io.strata.core.StrataException;
import io.strata.core.config.ConfigException;
import io.strata.core.io.UrlCredentials;
import io.strata.core.request.InvalidBuildRequestException;
import io.strata.core.service.ServiceReasons;
import io.strata.server.api.ApiError;
import io.strata.server.api.ApiJson;
import java.util.Map;

/**
 * Turns a failure into its JSON answer: the reason code's HTTP status and an {@link ApiError}. A
 * reason not listed here is the service's own trouble (the store failed, ...): 500, still with its
 * reason and message, never a stack trace.
 */
final class ErrorAnswers {
    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry(ServiceReasons.BUILD_NOT_FOUND, 404),
            Map.entry(ServiceReasons.BUILD_ID_INVALID, 400),
            Map.entry(ServiceReasons.NOT_YOUR_BUILD, 403),
            Map.entry(ServiceReasons.BUILD_NOT_RUNNING, 409),
            Map.entry(ServiceReasons.PAGE_LIMIT_INVALID, 400),
            Map.entry(ServiceReasons.PAGE_CURSOR_INVALID, 400),
            Map.entry(ServiceReasons.ENGINE_NOT_AVAILABLE, 503),
            Map.entry("STORE_UNAVAILABLE", 503),
            Map.entry(io.strata.core.service.OperationsReasons.ENGINE_UNKNOWN, 404),
            Map.entry(io.strata.core.service.OperationsReasons.ADMIN_REQUIRED, 403),
            Map.entry(io.strata.core.service.OperationsReasons.QUEUE_FULL, 429),
            Map.entry(io.strata.core.service.OperationsReasons.DURATION_INVALID, 400),
            // At submit the service's own configuration is loaded already: what is invalid is the request's customize document.
            Map.entry(ConfigException.REASON, 400));

    private ErrorAnswers() {}

    static int status(StrataException e) {
        if (e instanceof ApiException api) {
            return api.status();
        }
        if (e instanceof InvalidBuildRequestException) {
            return 400;
        }
        return STATUS.getOrDefault(e.reason(), 500);
    }

    static void answer(Context ctx, StrataException e) {
        answer(ctx, status(e), new ApiError(e.reason(), UrlCredentials.redact(e.getMessage()),
                UrlCredentials.redact(e.hint())));
    }

    static void answer(Context ctx, int status, ApiError error) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"strata\"");
        }
        ctx.status(status).contentType("application/json").result(ApiJson.write(error));
    }
}
