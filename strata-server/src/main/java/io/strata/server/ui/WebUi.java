package io.strata.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import io.strata.core.io.UrlCredentials;
import io.strata.server.ApiException;
import io.strata.core.service.BuildPage;
import io.strata.core.service.BuildService;
import io.strata.core.service.Caller;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.core.store.BuildSummary;
import io.strata.local.store.ApiTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The web UI of {@code strata serve} (docs/ui.md): server-rendered pages over the same
 * {@link BuildService} the REST API calls, with a small served script for the live parts. Every
 * page needs a signed-in browser (session cookie from {@code /login}) or an
 * {@code Authorization: Bearer} token; without either a page answers 302 to {@code /login}, a
 * stream 401. Only {@code /login} and the two assets are open.
 */
public final class WebUi {
    public static final String LOGIN = "/login";
    public static final String ASSETS = "/ui/assets/{name}";

    /** The API's bearer check, handed in by the server so pages and API refuse a bad token alike. */
    @FunctionalInterface
    public interface BearerCheck {
        Caller caller(Context ctx) throws StrataException;
    }

    @FunctionalInterface
    private interface PageHandler {
        void handle(Context ctx, Viewer viewer) throws Exception;
    }

    private final BuildService service;
    private final ApiTokens tokens;
    private final Sessions sessions;
    private final PageAuth auth;
    private final UiFeeds feeds;
    private final ToIntFunction<StrataException> statusOf;
    private final Clock clock;
    private final List<Endpoint> endpoints;

    /** {@code statusOf}: the HTTP status of a refusal, as the API answers it. */
    public WebUi(BuildService service, ApiTokens tokens, BearerCheck bearer, ToIntFunction<StrataException> statusOf) {
        this(service, tokens, bearer, statusOf, Clock.systemUTC());
    }

    WebUi(BuildService service, ApiTokens tokens, BearerCheck bearer, ToIntFunction<StrataException> statusOf, Clock clock) {
        this.service = service;
        this.tokens = tokens;
        this.sessions = new Sessions(clock);
        this.auth = new PageAuth(bearer, tokens, sessions);
        this.feeds = new UiFeeds(service, clock);
        this.statusOf = statusOf;
        this.clock = clock;
        this.endpoints = routes();
    }

    /** Every route of the UI, for the server to add to its router. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    private List<Endpoint> routes() {
        return List.of(
                new Endpoint(HandlerType.GET, LOGIN, this::loginForm),
                new Endpoint(HandlerType.POST, LOGIN, this::signIn),
                new Endpoint(HandlerType.GET, ASSETS, ctx -> UiAssets.serve(ctx, ctx.pathParam("name"))),
                new Endpoint(HandlerType.POST, "/logout", ctx -> form(ctx, this::signOut)),
                new Endpoint(HandlerType.GET, "/", ctx -> page(ctx, this::list)),
                new Endpoint(HandlerType.GET, "/builds/{id}", ctx -> page(ctx, this::build)),
                new Endpoint(HandlerType.GET, "/builds/{id}/log.txt", ctx -> page(ctx, this::download)),
                new Endpoint(HandlerType.POST, "/builds/{id}/cancel", ctx -> form(ctx, this::cancel)),
                new Endpoint(HandlerType.GET, ListPage.STREAM, ctx -> stream(ctx,
                        (c, viewer) -> feeds.list(c, viewer, ListFilters.of(c).query()))),
                new Endpoint(HandlerType.GET, "/builds/{id}/updates", ctx -> stream(ctx,
                        (c, viewer) -> feeds.build(c, viewer, id(c), Optional.ofNullable(c.queryParam("seen")).orElse(""),
                                cursors(c)))));
    }

    /** Ends every open stream of the UI at its next tick; the server calls it before it stops. */
    public void close() {
        feeds.close();
    }

    /** Whether {@code "METHOD /path"} (as the router names it) is a route of the UI rather than of the API. */
    public boolean serves(String methodAndPath) {
        return endpoints().stream().anyMatch(e -> (e.method.name() + " " + e.path).equals(methodAndPath));
    }

    private void page(Context ctx, PageHandler handler) throws Exception {
        secure(ctx);
        Optional<Viewer> viewer;
        try {
            viewer = auth.viewer(ctx);
        } catch (StrataException badBearer) {
            error(ctx, null, badBearer);
            return;
        }
        if (viewer.isEmpty()) {
            String wanted = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect(LOGIN + "?next=" + URLEncoder.encode(wanted, StandardCharsets.UTF_8), HttpStatus.FOUND);
            return;
        }
        ctx.attribute("strata.user", viewer.get().caller().user());
        try {
            handler.handle(ctx, viewer.get());
        } catch (StrataException e) {
            error(ctx, viewer.get(), e);
        }
    }

    /** A POST of a page's form: a signed-in browser must send its session's form value (another site cannot read it). */
    private void form(Context ctx, PageHandler handler) throws Exception {
        page(ctx, (c, viewer) -> {
            if (viewer.session().isPresent() && !viewer.csrf().equals(c.formParam("csrf"))) {
                throw new ApiException(403, "FORM_EXPIRED", "this form does not belong to your session",
                        "reload the page and submit it again");
            }
            handler.handle(c, viewer);
        });
    }

    private void stream(Context ctx, PageHandler handler) throws Exception {
        Optional<Viewer> viewer;
        try {
            viewer = auth.viewer(ctx);
        } catch (StrataException badBearer) {
            ctx.status(401).contentType("text/plain").result(badBearer.getMessage());
            return;
        }
        if (viewer.isEmpty()) {
            ctx.status(401).contentType("text/plain").result("sign in at " + LOGIN);
            return;
        }
        ctx.attribute("strata.user", viewer.get().caller().user());
        try {
            handler.handle(ctx, viewer.get());
        } catch (StrataException e) {
            if (!ctx.res().isCommitted()) {
                ctx.status(statusOf(e)).contentType("text/plain").result(e.reason() + ": " + UrlCredentials.redact(e.getMessage()));
            }
        }
    }

    private void loginForm(Context ctx) {
        secure(ctx);
        String next = LoginPage.safeNext(ctx.queryParam("next"));
        if (sessions.find(ctx.cookie(Sessions.COOKIE)).isPresent()) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        ctx.html(LoginPage.render(next, Optional.empty()));
    }

    private void signIn(Context ctx) throws StrataException {
        secure(ctx);
        String next = LoginPage.safeNext(ctx.formParam("next"));
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("").strip();
        String problem = switch (token.isEmpty() ? new ApiTokens.Check.Malformed() : tokens.check(token)) {
            case ApiTokens.Check.Valid valid -> {
                Sessions.Session session = sessions.open(token, valid.token().user());
                ctx.attribute("strata.user", valid.token().user());
                ctx.header("Set-Cookie", Sessions.cookie(session));
                ctx.redirect(next, HttpStatus.SEE_OTHER);
                yield null;
            }
            case ApiTokens.Check.Malformed malformed -> "That is not a Strata API token: they start with "
                    + ApiTokens.PREFIX + " and have 50 characters.";
            case ApiTokens.Check.Unknown unknown -> "This service does not know that token, or it was revoked.";
            case ApiTokens.Check.Expired expired -> "That token expired at " + expired.token().expiresAt().orElseThrow()
                    + "; ask an admin for a new one.";
        };
        if (problem != null) {
            ctx.status(401).html(LoginPage.render(next, Optional.of(problem)));
        }
    }

    private void signOut(Context ctx, Viewer viewer) {
        viewer.session().ifPresent(s -> sessions.close(s.id()));
        ctx.header("Set-Cookie", Sessions.clearingCookie());
        ctx.redirect(LOGIN, HttpStatus.SEE_OTHER);
    }

    private void list(Context ctx, Viewer viewer) throws StrataException {
        ListFilters filters = ListFilters.of(ctx);
        BuildPage page;
        try {
            page = service.list(filters.query(), viewer.caller());
        } catch (ListFilters.BadFilter bad) {
            ctx.status(400).html(ListPage.render(viewer, filters, List.of(), Optional.empty(), Optional.of(bad.getMessage()),
                    clock.instant()));
            return;
        }
        List<BuildView> builds = new ArrayList<>();
        for (BuildSummary summary : page.builds()) {
            try {
                builds.add(BuildView.of(service.get(summary.id(), viewer.caller())));
            } catch (ServiceException e) {
                if (!e.reason().equals(ServiceReasons.BUILD_NOT_FOUND)) {
                    throw e;
                }
            }
        }
        ctx.html(ListPage.render(viewer, filters, builds, page.nextCursor(), Optional.empty(), clock.instant()));
    }

    private void build(Context ctx, Viewer viewer) throws StrataException {
        BuildView build = BuildView.of(service.get(id(ctx), viewer.caller()));
        Map<String, BuildDetailPage.LogStart> logs = new LinkedHashMap<>();
        for (BuildView.Worker worker : build.workers()) {
            String logId = worker.logBuildId();
            if (!logs.containsKey(logId)) {
                List<LogLine> lines = service.logs(new BuildId(logId), 0, LogPane.FIRST_LINES, viewer.caller());
                logs.put(logId, new BuildDetailPage.LogStart(lines,
                        lines.isEmpty() ? 0 : lines.getLast().sequence()));
            }
        }
        String live = LiveSection.render(build, viewer, new RunningSteps().update(service, viewer.caller(), build), clock.instant());
        ctx.html(BuildDetailPage.render(build, viewer, logs, live));
    }

    private void cancel(Context ctx, Viewer viewer) throws StrataException {
        BuildId id = id(ctx);
        service.cancel(id, viewer.caller());
        ctx.redirect("/builds/" + id.value(), HttpStatus.SEE_OTHER);
    }

    /** The whole log as text, written page by page as it is read. */
    private void download(Context ctx, Viewer viewer) throws StrataException, IOException {
        BuildId id = id(ctx);
        List<LogLine> lines = service.logs(id, 0, LogPane.FIRST_LINES, viewer.caller());
        ctx.contentType("text/plain;charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"strata-" + id.value() + ".log\"");
        OutputStream out = ctx.res().getOutputStream();
        while (!lines.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (LogLine line : lines) {
                text.append(line.at()).append(' ').append(line.step()).append(": ").append(line.text()).append('\n');
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            lines = service.logs(id, lines.getLast().sequence(), LogPane.FIRST_LINES, viewer.caller());
        }
        out.flush();
    }

    private void error(Context ctx, Viewer viewer, StrataException e) {
        int status = statusOf(e);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"strata\"");
        }
        Html html = new Html().raw("<h1>").text(status == 404 ? "Not found" : status == 403 ? "Not allowed" : "Cannot do that")
                .raw("</h1><p class=\"problem\" role=\"alert\">").text(UrlCredentials.redact(e.getMessage()))
                .raw(" <code class=\"reason\">").text(e.reason()).raw("</code></p>");
        if (!e.hint().isBlank()) {
            html.raw("<p class=\"hint\">Fix: ").text(UrlCredentials.redact(e.hint())).raw("</p>");
        }
        ctx.status(status).html(Layout.page("Error", viewer, html.raw("<p><a href=\"/\">All builds</a></p>").toString()));
    }

    private int statusOf(StrataException e) {
        return statusOf.applyAsInt(e);
    }

    /** Headers of every UI answer: no inline script or style, no framing, no sniffing, no caching of pages. */
    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", Layout.CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }

    private static BuildId id(Context ctx) throws ServiceException {
        String text = ctx.pathParam("id");
        if (!BuildId.isValid(text)) {
            throw new ServiceException(ServiceReasons.BUILD_ID_INVALID, "'" + (text.length() > 40 ? text.substring(0, 40) + "..."
                    : text) + "' is not a build id (they look like 20261122-004512-3f9a1c)", "open the build from the list");
        }
        return new BuildId(text);
    }

    /** Where the page's logs stand: a reconnecting browser's Last-Event-ID is newer than the page's ?after=. */
    private static LogCursors cursors(Context ctx) throws ApiException {
        return LogCursors.parse(Optional.ofNullable(ctx.header("Last-Event-ID")).filter(v -> !v.isBlank())
                .orElse(ctx.queryParam("after")));
    }
}
