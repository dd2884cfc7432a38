package io.strata.server.ui;

import io.javalin.http.Context;
import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.local.store.ApiTokens;
import java.util.Optional;

/**
 * Who a UI request is: an {@code Authorization: Bearer} header (checked exactly as the API checks
 * it, so a bad one is refused, never ignored) or else the session cookie, whose token is checked
 * again against the store on every request. Empty: nobody signed in.
 */
final class PageAuth {
    private final WebUi.BearerCheck bearer;
    private final ApiTokens tokens;
    private final Sessions sessions;

    PageAuth(WebUi.BearerCheck bearer, ApiTokens tokens, Sessions sessions) {
        this.bearer = bearer;
        this.tokens = tokens;
        this.sessions = sessions;
    }

    Optional<Viewer> viewer(Context ctx) throws StrataException {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            return Optional.of(new Viewer(bearer.caller(ctx), Optional.empty()));
        }
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        if (tokens.check(session.get().token()) instanceof ApiTokens.Check.Valid valid) {
            Caller caller = new Caller(valid.token().user(), valid.token().admin());
            return Optional.of(new Viewer(caller, session));
        }
        sessions.close(session.get().id()); // revoked or expired since sign-in: the session ends with it
        return Optional.empty();
    }
}
