package io.strata.server;

import io.javalin.http.Context;
import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.local.store.ApiTokens;

/**
 * Who a request is: the user of its {@code Authorization: Bearer} token. Never logs, keeps or
 * repeats the token; the answers say what is wrong with it without quoting it.
 */
final class BearerAuth {
    private static final String SCHEME = "Bearer ";
    private static final String HINT_CREATE = "ask an admin for a token (`strata tokens create --user NAME` on the server's store)"
            + " and send it as `Authorization: Bearer TOKEN`";

    private final ApiTokens tokens;

    BearerAuth(ApiTokens tokens) {
        this.tokens = tokens;
    }

    Caller caller(Context ctx) throws StrataException {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiException(401, ServerReasons.TOKEN_MISSING, "this request needs an API token", HINT_CREATE);
        }
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new ApiException(401, ServerReasons.TOKEN_MALFORMED,
                    "the Authorization header is not of the form `Bearer TOKEN`", HINT_CREATE);
        }
        return switch (tokens.check(header.substring(SCHEME.length()).strip())) {
            case ApiTokens.Check.Valid valid -> new Caller(valid.token().user(), valid.token().admin());
            case ApiTokens.Check.Malformed malformed -> throw new ApiException(401, ServerReasons.TOKEN_MALFORMED,
                    "the bearer token is not a Strata API token (they start with `" + ApiTokens.PREFIX
                            + "` and have 50 characters)", HINT_CREATE);
            case ApiTokens.Check.Unknown unknown -> throw new ApiException(401, ServerReasons.TOKEN_INVALID,
                    "the bearer token is not known to this service, or was revoked", HINT_CREATE);
            case ApiTokens.Check.Expired expired -> throw new ApiException(401, ServerReasons.TOKEN_EXPIRED,
                    "the bearer token " + expired.token().id() + " expired at " + expired.token().expiresAt().orElseThrow(),
                    "ask an admin for a new token (`strata tokens create --user " + expired.token().user() + "`)");
        };
    }
}
