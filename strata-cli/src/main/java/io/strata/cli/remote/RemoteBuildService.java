package io.strata.cli.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.io.UrlCredentials;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildPage;
import io.strata.core.service.BuildService;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.service.LogSink;
import io.strata.core.service.ServiceException;
import io.strata.core.service.StateSink;
import io.strata.server.api.ApiError;
import io.strata.server.api.ApiJson;
import io.strata.server.api.BuildListBody;
import io.strata.server.api.BuildRequestBody;
import io.strata.server.api.LogPage;
import io.strata.server.api.StreamEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import io.strata.core.io.SchemeClients;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@link BuildService} of a build service ({@code strata serve}) over HTTP, on the JDK's
 * HttpClient. The caller is whoever the token stands for: the {@link Caller} arguments are ignored.
 * Refusals come back as the server's reason, message and hint; a follow whose stream breaks resumes
 * from the last event it saw. The token goes only into the Authorization header, never into a
 * message.
 */
public final class RemoteBuildService implements BuildService, AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Answers are read leniently: a newer server may add fields. */
    private static final ObjectReader READER = ApiJson.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int RESUME_ATTEMPTS = 5;

    private final URI base;
    private final String token;
    /** One client per scheme, made at the first call: a plain-http service costs no TLS set-up. */
    private final SchemeClients http;

    public RemoteBuildService(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = new SchemeClients(() -> HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER));
    }

    /** Whether a client for https was made: for tests that a plain-http service costs no TLS set-up. */
    public boolean tlsMade() {
        return http.tlsMade();
    }

    public URI base() {
        return base;
    }

    @Override
    public BuildRecord submit(BuildSubmission submission, Caller caller) throws StrataException {
        return parse(post(submission), BuildRecord.class);
    }

    /**
     * Submits and reads only the id of the build from the service's answer, not the whole record
     * (see {@link io.strata.cli.build.BuildEnding}): all that `strata build --server` needs of it.
     */
    public BuildId submitForId(BuildSubmission submission) throws StrataException {
        String answer = post(submission);
        try {
            String id = READER.readTree(answer).path("id").asText("");
            if (BuildId.isValid(id)) {
                return new BuildId(id);
            }
        } catch (JsonProcessingException e) {
            // said below
        }
        throw new StrataException(RemoteReasons.SERVER_ERROR, "the server at " + base
                + " answered the submission without a build id", "use the same Strata version on both sides");
    }

    /** The request sent; the service's answer, as text. */
    private String post(BuildSubmission submission) throws StrataException {
        String body;
        try {
            body = ApiJson.writeCompact(BuildRequestBody.of(submission));
        } catch (JsonProcessingException e) {
            throw new ConfigException(new ConfigProblem(submission.customize().map(CustomizeJson::origin).orElse("customize"),
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "the customize document is not JSON: "
                            + e.getOriginalMessage(), "write one JSON object (see examples/customize.json)"));
        }
        return call(request("/api/v1/builds").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    @Override
    public BuildPage list(BuildListQuery query, Caller caller) throws StrataException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(query.limit()));
        query.state().ifPresent(s -> params.put("state", s.name()));
        query.component().ifPresent(c -> params.put("component", c));
        query.user().ifPresent(u -> params.put("user", u));
        query.createdAfter().ifPresent(t -> params.put("created_after", t.toString()));
        query.createdBefore().ifPresent(t -> params.put("created_before", t.toString()));
        query.cursor().ifPresent(c -> params.put("cursor", c));
        BuildListBody page = call(request("/api/v1/builds" + query(params)).GET(), BuildListBody.class);
        return new BuildPage(page.builds(), page.nextCursor());
    }

    @Override
    public BuildRecord get(BuildId id, Caller caller) throws StrataException {
        return call(request("/api/v1/builds/" + id).GET(), BuildRecord.class);
    }

    /** The record of build {@code id} as the service wrote it. */
    public String getJson(BuildId id) throws StrataException {
        return call(request("/api/v1/builds/" + id).GET());
    }

    @Override
    public List<LogLine> logs(BuildId id, long afterSequence, int limit, Caller caller) throws StrataException {
        return call(request("/api/v1/builds/" + id + "/logs?after=" + afterSequence + "&limit=" + limit).GET(),
                LogPage.class).lines();
    }

    @Override
    public BuildRecord cancel(BuildId id, Caller caller) throws StrataException {
        return call(request("/api/v1/builds/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()),
                BuildRecord.class);
    }

    @Override
    public BuildRecord followStates(BuildId id, int afterTransitions, Caller caller, StateSink sink)
            throws StrataException, InterruptedException {
        streamStates(id, afterTransitions, sink);
        return get(id, null);
    }

    /**
     * Follows the states of build {@code id} until it ended (or {@code sink} said stop), then reads its record as
     * text: `strata build --server`'s way, which binds no record to its classes ({@link io.strata.cli.build.BuildEnding}).
     */
    public String followStatesToJson(BuildId id, StateSink sink) throws StrataException, InterruptedException {
        streamStates(id, 0, sink);
        return getJson(id);
    }

    private void streamStates(BuildId id, int afterTransitions, StateSink sink) throws StrataException, InterruptedException {
        long[] after = {afterTransitions};
        follow(id, "/events", after, event -> {
            StreamEvent.State state;
            try {
                state = readStateEvent(event.data());
            } catch (JsonProcessingException e) {
                throw unreadable("state event", e);
            }
            after[0] = state.index();
            return sink.accept(id, state.index(), new StateTransition(state.state(), state.at()));
        });
    }

    @Override
    public BuildRecord followLogs(BuildId id, long afterSequence, Caller caller, LogSink sink)
            throws StrataException, InterruptedException {
        streamLogs(id, afterSequence, sink);
        return get(id, null);
    }

    /** Follows the log of build {@code id} until it ended (or {@code sink} said stop); reads no record. */
    public void streamLogs(BuildId id, long afterSequence, LogSink sink) throws StrataException, InterruptedException {
        long[] after = {afterSequence};
        follow(id, "/logs/stream", after, event -> {
            StreamEvent.Log log = parse(event.data(), StreamEvent.Log.class);
            after[0] = log.sequence();
            return sink.accept(id, new LogLine(log.sequence(), log.at(), log.step(), log.text()));
        });
    }

    /** Handles one non-end event of a stream; false stops following. */
    @FunctionalInterface
    private interface EventHandler {
        boolean handle(SseReader.Event event) throws StrataException;
    }

    /**
     * Follows a stream until its {@code end} event, the handler says stop, or the stream breaks more
     * than {@link #RESUME_ATTEMPTS} times in a row without an event.
     */
    private void follow(BuildId id, String path, long[] after, EventHandler handler)
            throws StrataException, InterruptedException {
        int quietBreaks = 0;
        while (true) {
            HttpRequest request = request("/api/v1/builds/" + id + path + "?after=" + after[0])
                    .header("Accept", "text/event-stream").GET().build();
            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw refusal(response.statusCode(), readAll(response.body()));
            }
            boolean progressed = false;
            try (SseReader events = new SseReader(response.body())) {
                for (Optional<SseReader.Event> e = events.next(); e.isPresent(); e = events.next()) {
                    if ("end".equals(e.get().name())) {
                        return;
                    }
                    progressed = true;
                    if (!handler.handle(e.get())) {
                        return;
                    }
                }
            } catch (IOException broken) {
                // resumed below from the last event seen
            }
            quietBreaks = progressed ? 0 : quietBreaks + 1;
            if (quietBreaks > RESUME_ATTEMPTS) {
                throw new StrataException(RemoteReasons.SERVER_UNREACHABLE, "the build service at " + base
                        + " closed the stream of build " + id + " " + quietBreaks + " times without an event",
                        "check that the server still runs; `strata get-build " + id + "` shows where the build is");
            }
            Thread.sleep(200L * quietBreaks);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path.substring(1))).header("Authorization", "Bearer " + token);
    }

    private <T> T call(HttpRequest.Builder request, Class<T> type) throws StrataException {
        return parse(call(request), type);
    }

    /** The answer's body, when the service answered 2xx; its refusal otherwise. */
    private String call(HttpRequest.Builder request) throws StrataException {
        HttpResponse<String> response;
        try {
            response = send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(RemoteReasons.SERVER_UNREACHABLE, "interrupted while waiting for " + base,
                    "run the command again");
        }
        if (response.statusCode() / 100 != 2) {
            throw refusal(response.statusCode(), response.body());
        }
        return response.body();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws StrataException, InterruptedException {
        try {
            return http.forUri(request.uri()).send(request, body);
        } catch (ConnectException e) {
            throw new StrataException(RemoteReasons.SERVER_UNREACHABLE, "nothing answers at " + base + " ("
                    + words(e, "connection refused") + ")",
                    "start the service with `strata serve`, or check --server, STRATA_SERVER or strata_server_url");
        } catch (HttpTimeoutException e) {
            throw new StrataException(RemoteReasons.SERVER_UNREACHABLE, "the build service at " + base
                    + " did not answer in time (" + e.getMessage() + ")", "check that the server runs and is not overloaded");
        } catch (IOException e) {
            throw new StrataException(RemoteReasons.SERVER_UNREACHABLE, "could not talk to the build service at " + base
                    + ": " + words(e, "the connection failed"), "check the URL and that the server runs");
        }
    }

    /** What went wrong in words: the JDK's message, never a Java class name (the user did not write Java). */
    private static String words(IOException e, String otherwise) {
        String message = e.getMessage();
        return message == null || message.isBlank() || message.contains("java.") ? otherwise : message;
    }

    /** The server's own refusal (reason, message, hint), or SERVER_ERROR when the answer is not one. */
    private StrataException refusal(int status, String body) {
        try {
            ApiError error = READER.forType(ApiError.class).<ApiError>readValue(body);
            return new ServiceException(error.reason(), error.message(), error.hint());
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            String shown = body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
            return new StrataException(RemoteReasons.SERVER_ERROR, "the server at " + base + " answered HTTP " + status
                    + " without a Strata error: " + UrlCredentials.redact(shown.strip()),
                    "check that --server names a Strata build service (`strata serve`)");
        }
    }

    /** A state event of a build's stream, read as {@link #followStatesToJson} reads it (and {@link RemoteWarmUp} ahead of it). */
    static StreamEvent.State readStateEvent(String json) throws JsonProcessingException {
        return READER.forType(StreamEvent.State.class).readValue(json);
    }

    private <T> T parse(String body, Class<T> type) throws StrataException {
        try {
            return READER.forType(type).<T>readValue(body);
        } catch (JsonProcessingException e) {
            throw unreadable(type.getSimpleName(), e);
        }
    }

    private StrataException unreadable(String what, JsonProcessingException e) {
        return new StrataException(RemoteReasons.SERVER_ERROR, "the server at " + base + " answered a "
                + what + " this Strata cannot read: " + e.getOriginalMessage(), "use the same Strata version on both sides");
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String query(Map<String, String> params) {
        List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return parts.isEmpty() ? "" : parts.stream().collect(Collectors.joining("&", "?", ""));
    }

    /**
     * Another resource of the same service (the engines, docs/service.md): {@code method} on
     * {@code path} without a body, the answer read as {@code type}; refusals as for builds.
     */
    public <T> T call(String method, String path, Class<T> type) throws StrataException {
        return call(request(path).method(method, HttpRequest.BodyPublishers.noBody()), type);
    }

    @Override
    public String toString() {
        return "RemoteBuildService[" + base + "]";
    }

    /**
     * Closes the HTTP clients made. A client's selector thread waits in native code, and the JVM waits
     * up to 300 ms at exit for such threads: a command that leaves one open pays that on every run.
     */
    @Override
    public void close() {
        http.close();
    }
}
