package io.strata.server.ui;

import io.strata.core.service.Caller;
import java.util.Optional;

/**
 * Who is looking at a page: the caller the service sees, and the browser session when they signed
 * in through {@code /login} (empty for a script sending {@code Authorization: Bearer}).
 */
record Viewer(Caller caller, Optional<Sessions.Session> session) {

    /** The value a form of this page sends back; empty without a session (a bearer request has no ambient credential). */
    String csrf() {
        return session.map(Sessions.Session::csrf).orElse("");
    }
}
