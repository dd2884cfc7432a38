package io.strata.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildPage;
import io.strata.core.service.BuildService;
import io.strata.core.service.Caller;
import io.strata.core.service.ServiceException;
import io.strata.core.service.ServiceReasons;
import io.strata.server.api.ApiJson;
import io.strata.server.api.BuildListBody;
import io.strata.server.api.BuildRequestBody;
import io.strata.server.api.LogPage;
import io.strata.server.api.StreamEvent;
import java.time.Duration;
import java.util.List;

/** The {@code /api/v1/builds} routes: each one reads its input, calls the {@link BuildService}, writes JSON. */
final class BuildRoutes {
    static final String BUILDS = "/api/v1/builds";
    static final String BUILD = BUILDS + "/{id}";
    static final int MAX_LOG_PAGE = 10_000;

    /** Seconds a client refused with 429 is asked to wait before it submits again. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final BuildService service;
    private final ServerMetrics metrics;
    private final Duration keepAlive;
    private final ServiceOperations operations;
    private final Object admission = new Object();
    /** Submissions admitted and not yet stored (guarded by {@link #admission}). */
    private int admitted;

    BuildRoutes(BuildService service, ServerMetrics metrics, Duration keepAlive, ServiceOperations operations) {
        this.service = service;
        this.metrics = metrics;
        this.keepAlive = keepAlive;
        this.operations = operations;
    }

    List<Route> routes() {
        return List.of(
                new Route(HandlerType.POST, BUILDS, true, this::submit),
                new Route(HandlerType.GET, BUILDS, true, this::list),
                new Route(HandlerType.GET, BUILD, true, this::get),
                new Route(HandlerType.POST, BUILD + "/cancel", true, this::cancel),
                new Route(HandlerType.GET, BUILD + "/events", true, this::events),
                new Route(HandlerType.GET, BUILD + "/logs", true, this::logs),
                new Route(HandlerType.GET, BUILD + "/logs/stream", true, this::logStream));
    }

    private void submit(Context ctx, Caller caller) throws StrataException {
        BuildRequestBody body = JsonBody.read(ctx, BuildRequestBody.class);
        admit(ctx);
        try {
            BuildRecord record = service.submit(body.toSubmission(), caller);
            ctx.header("Location", BUILDS + "/" + record.id());
            json(ctx, 201, record);
        } catch (StrataException e) {
            if (io.strata.core.service.OperationsReasons.QUEUE_FULL.equals(e.reason())) {
                // The store's own admission (exact over a fleet): another member filled the queue meanwhile.
                metrics.refusedSubmission();
                ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            }
            throw e;
        } finally {
            synchronized (admission) {
                admitted--;
            }
        }
    }

    /**
     * The admission bound: with strata_queue_max_pending builds waiting already, the submission is
     * refused (429, Retry-After) before anything is stored, so every 201 is a stored build and no
     * 429 is. Submissions of this server admitted but not yet stored count as waiting
     * ({@link #admitted}, raised under the same lock as the count is checked and lowered once the
     * build is stored), so concurrent submissions to one server never pass the bound together; a
     * build counted twice for a moment errs on the side of refusing. Members of a fleet do not see
     * each other's admitted submissions: the fleet's bound can be passed by what the other members
     * admit at the same moment.
     */
    private void admit(Context ctx) throws StrataException {
        synchronized (admission) {
            int pending = operations.queue().pending();
            if (pending + admitted < operations.maxPending()) {
                admitted++;
                return;
            }
            metrics.refusedSubmission();
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            throw new ApiException(429, io.strata.core.service.OperationsReasons.QUEUE_FULL, pending
                    + " builds wait in the queue already, the most it takes (strata_queue_max_pending = "
                    + operations.maxPending() + ")", "submit again after " + RETRY_AFTER_SECONDS
                    + " s (Retry-After), when builds have started; an operator may raise strata_queue_max_pending");
        }
    }

    private void list(Context ctx, Caller caller) throws StrataException {
        BuildListQuery query = new BuildListQuery(QueryParams.state(ctx, "state"), QueryParams.text(ctx, "component"),
                QueryParams.text(ctx, "user"), QueryParams.instant(ctx, "created_after"),
                QueryParams.instant(ctx, "created_before"),
                QueryParams.integer(ctx, "limit").orElse(BuildListQuery.DEFAULT_LIMIT), QueryParams.text(ctx, "cursor"));
        BuildPage page = service.list(query, caller);
        json(ctx, 200, new BuildListBody(page.builds(), page.nextCursor()));
    }

    private void get(Context ctx, Caller caller) throws StrataException {
        json(ctx, 200, service.get(id(ctx), caller));
    }

    private void cancel(Context ctx, Caller caller) throws StrataException {
        json(ctx, 202, service.cancel(id(ctx), caller));
    }

    private void logs(Context ctx, Caller caller) throws StrataException {
        BuildId id = id(ctx);
        int limit = QueryParams.integer(ctx, "limit").orElse(1000);
        if (limit < 1 || limit > MAX_LOG_PAGE) {
            throw new ServiceException(ServiceReasons.PAGE_LIMIT_INVALID, "limit " + limit + " is out of range",
                    "a page of log lines is 1 to " + MAX_LOG_PAGE + " lines");
        }
        long after = QueryParams.resumeAfter(ctx);
        List<LogLine> lines = service.logs(id, after, limit, caller);
        long last = lines.isEmpty() ? after : lines.getLast().sequence();
        json(ctx, 200, new LogPage(lines, last));
    }

    /** State changes as Server-Sent Events ({@code state}, then {@code end}), resumable from a transition index. */
    private void events(Context ctx, Caller caller) throws Exception {
        BuildId id = id(ctx);
        long after = QueryParams.resumeAfter(ctx);
        service.get(id, caller); // refusals (404, 403) answer as JSON before the stream starts
        EventStream stream = new EventStream(ctx, metrics);
        stream.follow(() -> service.followStates(id, (int) Math.min(after, Integer.MAX_VALUE), caller,
                (buildId, index, transition) -> stream.send("state", index,
                        new StreamEvent.State(buildId.value(), index, transition.state(), transition.at()))), keepAlive)
                .ifPresent(last -> end(stream, last));
    }

    /** Log lines as Server-Sent Events ({@code log}, then {@code end}), resumable from a sequence number. */
    private void logStream(Context ctx, Caller caller) throws Exception {
        BuildId id = id(ctx);
        long after = QueryParams.resumeAfter(ctx);
        service.get(id, caller);
        EventStream stream = new EventStream(ctx, metrics);
        stream.follow(() -> service.followLogs(id, after, caller, (buildId, line) -> stream.send("log", line.sequence(),
                new StreamEvent.Log(buildId.value(), line.sequence(), line.at(), line.step(), line.text()))), keepAlive)
                .ifPresent(last -> end(stream, last));
    }

    private static void end(EventStream stream, BuildRecord last) {
        if (last.state().isTerminal()) {
            stream.send("end", 0, new StreamEvent.End(last.id().value(), last.state(),
                    last.failure().map(f -> f.reason()).orElse(null)));
        }
    }

    static BuildId id(Context ctx) throws ServiceException {
        String text = ctx.pathParam("id");
        if (!BuildId.isValid(text)) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new ServiceException(ServiceReasons.BUILD_ID_INVALID,
                    "'" + shown + "' is not a build id (they look like 20261122-004512-3f9a1c)",
                    "take the id from the answer of POST /api/v1/builds or from GET /api/v1/builds");
        }
        return new BuildId(text);
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(ApiJson.write(body));
    }
}
