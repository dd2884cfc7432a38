package io.strata.testkit.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A handler of the mock API server for requests whose method matches and whose path (without the
 * query) matches {@code path} entirely; it answers {@code times} requests, or every one when
 * {@code times} is negative. Routes are tried before fabric8 expectations and the CRUD store.
 */
public final class Route {
    /** Answers one request; the matcher holds the path's groups. */
    @FunctionalInterface
    public interface Handler {
        MockResponse handle(RecordedRequest request, Matcher path);
    }

    private final String method;
    private final Pattern path;
    private final Handler handler;
    private final AtomicInteger left;
    private final java.util.function.Predicate<RecordedRequest> when;

    private Route(String method, Pattern path, Handler handler, int times, java.util.function.Predicate<RecordedRequest> when) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.left = new AtomicInteger(times);
        this.when = Objects.requireNonNull(when, "when");
    }

    /** This route for requests whose query has {@code name=value} only (e.g. {@code watch=true}); use before adding it. */
    public Route whenQuery(String name, String value) {
        return new Route(method, path, handler, left.get(), when.and(request -> query(request, name).filter(value::equals).isPresent()));
    }

    /** A route for every matching request. */
    public static Route always(String method, String pathRegex, Handler handler) {
        return new Route(method, Pattern.compile(pathRegex), handler, -1, request -> true);
    }

    /** A route for the next {@code times} matching requests only. */
    public static Route times(int times, String method, String pathRegex, Handler handler) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        return new Route(method, Pattern.compile(pathRegex), handler, times, request -> true);
    }

    Optional<Matcher> matches(RecordedRequest request) {
        if (!method.equalsIgnoreCase(request.getMethod()) || !when.test(request)) {
            return Optional.empty();
        }
        String full = request.getPath();
        int query = full.indexOf('?');
        Matcher matcher = path.matcher(query < 0 ? full : full.substring(0, query));
        return matcher.matches() ? Optional.of(matcher) : Optional.empty();
    }

    /** Claims one use of a limited route; false once it is used up. */
    boolean take() {
        while (true) {
            int now = left.get();
            if (now < 0) {
                return true;
            }
            if (now == 0) {
                return false;
            }
            if (left.compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }

    /** How many more requests a limited route answers (0 once used up; -1 for an unlimited one). */
    public int remaining() {
        return left.get();
    }

    Handler handler() {
        return handler;
    }

    /** The query parameter {@code name} of a request, if present (values are not URL-decoded). */
    public static Optional<String> query(RecordedRequest request, String name) {
        String full = request.getPath();
        int start = full.indexOf('?');
        if (start < 0) {
            return Optional.empty();
        }
        for (String pair : full.substring(start + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
