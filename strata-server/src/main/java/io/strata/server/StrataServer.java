package io.strata.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.strata.core.StrataException;
import io.strata.core.service.BuildService;
import io.strata.core.service.Caller;
import io.strata.core.store.BuildStore;
import io.strata.local.store.ApiTokens;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.worker.QueueScheduler;
import io.strata.server.api.ApiError;
import io.strata.server.ui.WebUi;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The build service over HTTP ({@code strata serve}, docs/service.md): the REST API under
 * {@code /api/v1} on Javalin (Jetty), every handler on a virtual thread. Routes are data
 * ({@link Route}); each authenticated one first turns the bearer token into a {@link Caller}. Every
 * refusal is a JSON {@link ApiError}; an exception that is not a StrataException is logged here and
 * answered 500 INTERNAL_ERROR without its trace. Tokens never reach the log: it holds method, route,
 * status and user only.
 */
public final class StrataServer implements AutoCloseable {
    /** The listen queue of the server's socket (see the connector setting below). */
    static final int ACCEPT_QUEUE = 1024;

    public static final String OPENAPI_PATH = "/api/v1/openapi.json";

    /** Whether the service can take work now (its store answers); {@code /readyz} asks it. */
    @FunctionalInterface
    public interface Readiness {
        void check() throws StrataException;
    }

    private final Javalin app;
    private final ServerMetrics metrics = new ServerMetrics();
    private final PrintStream log;
    private final List<Route> routes;
    private volatile IntSupplier runningHere = () -> 0;
    private final WebUi ui;

    /** How often an idle event stream gets a comment line (and a client that left is noticed). */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    public StrataServer(BuildService service, ApiTokens tokens, Readiness readiness, PrintStream log) {
        this(service, tokens, readiness, log, KEEP_ALIVE);
    }

    public StrataServer(BuildService service, ApiTokens tokens, Readiness readiness, PrintStream log, Duration keepAlive) {
        this(service, tokens, readiness, log, keepAlive, ServiceOperations.none());
    }

    /** With the engines, the queue's view for /metrics and the admission bound ({@link ServiceOperations#of}). */
    public StrataServer(BuildService service, ApiTokens tokens, Readiness readiness, PrintStream log, Duration keepAlive,
            ServiceOperations operations) {
        this.log = log;
        BearerAuth auth = new BearerAuth(tokens);
        List<Route> all = new ArrayList<>(new BuildRoutes(service, metrics, keepAlive, operations).routes());
        all.addAll(new EngineRoutes(operations.engines()).routes());
        all.addAll(new PruneRoutes(operations.pruning()).routes());
        byte[] openApi = openApiDocument();
        all.add(new Route(HandlerType.GET, "/healthz", false, (ctx, caller) -> BuildRoutes.json(ctx, 200, Map.of("status", "ok"))));
        all.add(new Route(HandlerType.GET, "/readyz", false, (ctx, caller) -> {
            readiness.check();
            BuildRoutes.json(ctx, 200, Map.of("status", "ready"));
        }));
        all.add(new Route(HandlerType.GET, OPENAPI_PATH, false,
                (ctx, caller) -> ctx.contentType("application/json").result(openApi)));
        all.add(new Route(HandlerType.GET, "/metrics", false,
                (ctx, caller) -> ctx.contentType(metrics.contentType()).result(metrics.scrape(operations.queue(), runningHere))));
        this.routes = List.copyOf(all);
        this.ui = new WebUi(service, tokens, auth::caller, ErrorAnswers::status);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            // Event streams are written as they happen; a compressor would hold them back.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = JsonBody.MAX_BYTES;
            // A burst of clients connecting at once (a CI fan-out submitting hundreds of builds) must
            // wait in the listen queue, not overflow it: Jetty's default leaves the JDK's 50.
            config.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (org.eclipse.jetty.server.Connector connector : server.getConnectors()) {
                        if (connector instanceof org.eclipse.jetty.server.ServerConnector listening) {
                            listening.setAcceptQueueSize(ACCEPT_QUEUE);
                        }
                    }
                }
            }));
            for (Route route : routes) {
                config.routes.addEndpoint(new Endpoint(route.method(), route.path(), ctx -> handle(route, auth, ctx)));
            }
            // The web UI (docs/ui.md): pages over the same BuildService, with their own sign-in.
            ui.endpoints().forEach(config.routes::addEndpoint);
            config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
            config.routes.error(404, ctx -> {
                if (ctx.endpoints().list().isEmpty()) {
                    ErrorAnswers.answer(ctx, 404, new ApiError(ServerReasons.ROUTE_NOT_FOUND,
                            "no route " + ctx.method() + " " + ctx.path(), "see " + OPENAPI_PATH));
                }
            });
            config.requestLogger.http((ctx, millis) -> {
                String route = routeOf(ctx);
                metrics.request(ctx.method().name(), route, ctx.statusCode());
                log.println("strata serve: " + ctx.method() + " " + route + " " + ctx.statusCode()
                        + " " + Math.round(millis) + " ms" + userOf(ctx));
            });
        });
    }

    private static void handle(Route route, BearerAuth auth, Context ctx) throws Exception {
        try {
            Caller caller = route.authenticated() ? auth.caller(ctx) : null;
            if (caller != null) {
                ctx.attribute("strata.user", caller.user());
            }
            route.handler().handle(ctx, caller);
        } catch (StrataException e) {
            ErrorAnswers.answer(ctx, e);
        }
    }

    private void internalError(Context ctx, Exception e) {
        log.println("strata serve: internal error on " + ctx.method() + " " + routeOf(ctx) + ": " + e);
        e.printStackTrace(log);
        ErrorAnswers.answer(ctx, 500, new ApiError(ServerReasons.INTERNAL_ERROR,
                "the service failed on this request: " + e.getClass().getSimpleName(),
                "this is a bug in Strata; the server's log has the details"));
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException noneMatched) {
            return "(none)";
        }
    }

    private static String userOf(Context ctx) {
        Object user = ctx.attribute("strata.user");
        return user == null ? "" : " user=" + user;
    }

    /**
     * Reports in /metrics what the service's own parts do: the builds its scheduler ends (durations
     * by outcome, failures by reason, running here) and the latency of every transaction of the stores.
     */
    public StrataServer observe(QueueScheduler scheduler, BuildStore... stores) {
        scheduler.onBuildEnd(metrics);
        runningHere = scheduler::runningHere;
        for (BuildStore store : stores) {
            if (store instanceof JdbcBuildStore jdbc) {
                jdbc.observeLatency(metrics);
            }
        }
        return this;
    }

    /** Starts listening; {@code port} 0 picks a free one ({@link #port()}). */
    public StrataServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** The routes this server serves, for the OpenAPI test and the docs. */
    List<Route> routes() {
        return routes;
    }

    /** The web UI this server serves beside the API. */
    public WebUi ui() {
        return ui;
    }

    /** What Javalin really routes: method and path of every endpoint it holds. */
    public List<String> servedRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .toList();
    }

    static byte[] openApiDocument() {
        try (InputStream in = StrataServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the strata-server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ui.close(); // the UI's streams end at once instead of holding the stop up
        app.stop();
    }
}
