package io.strata.testkit.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;

/**
 * The mock API server's request handling, in order: {@link Route}s (subresources the mock lacks,
 * injected failures), then fabric8 expectations (exact method and path), then the CRUD store. Like
 * fabric8's own mixed dispatcher, with routes in front: an expectation matches one exact path with
 * its query, while a route matches a pattern (a pod's log under any query) and can answer from the
 * store ({@link #crud()}) without a request back to the server.
 */
final class MockApiDispatcher extends Dispatcher {
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    MockApiDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
    }

    KubernetesCrudDispatcher crud() {
        return crud;
    }

    void add(Route route) {
        routes.add(route);
    }

    void remove(Route route) {
        routes.remove(route);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        for (Route route : routes) {
            Optional<Matcher> match = route.matches(request);
            if (match.isPresent() && route.take()) {
                try {
                    return route.handler().handle(request, match.get());
                } catch (RuntimeException e) {
                    // An exception here would leave the client waiting for an answer that never comes.
                    e.printStackTrace();
                    return MockKubeFixture.status(500, "InternalError", "a route of the test failed: " + e);
                }
            }
        }
        Queue<ServerResponse> queue = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (queue != null && !queue.isEmpty()) {
            return expected.dispatch(request);
        }
        return crud.dispatch(request);
    }
}
