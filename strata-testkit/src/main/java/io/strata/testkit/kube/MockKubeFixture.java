package io.strata.testkit.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.openshift.client.OpenShiftClient;
import io.strata.testkit.FixtureException;
import io.strata.testkit.TempDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock Kubernetes API server ({@code kubernetes-server-mock}) in CRUD mode on a free
 * loopback port, plain http, with a kubeconfig file for it in a temporary directory so that a
 * subprocess ({@code strata}, {@code kubectl}) reaches it through {@code KUBECONFIG} exactly as a
 * test's own client does.
 *
 * <p>What the mock does and does not do (7.7.0), which every test against it has to live with:
 * it stores and serves any resource, OpenShift's included; a watch replays every stored object as
 * ADDED when it opens and ignores {@code resourceVersion}; field selectors work on
 * {@code metadata.name} and {@code metadata.namespace} only; strategic-merge and server-side-apply
 * patches get 415; a JSON merge patch appends to arrays instead of replacing them; there are no
 * controllers (nothing moves a pod unless {@link TestKubelet} or the test does) and no
 * subresources beyond {@code status} ({@code pods/log}, {@code buildconfigs/instantiate} and
 * {@code builds/log} are {@link Route}s the kubelet adds). Nothing checks credentials or RBAC: a
 * 403 is a route a test adds ({@link #failNext}).
 */
public final class MockKubeFixture implements AutoCloseable {
    /** The namespace of the kubeconfig's context. */
    public static final String NAMESPACE = "strata-test";

    /** Held here: java.util.logging keeps loggers only weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final MockApiDispatcher dispatcher;
    private final Path directory;
    private final Path kubeconfig;
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
    private final String namespace;

    private MockKubeFixture(KubernetesMockServer server, MockApiDispatcher dispatcher, Path directory, Path kubeconfig, String namespace) {
        this.namespace = namespace;
        this.server = server;
        this.dispatcher = dispatcher;
        this.directory = directory;
        this.kubeconfig = kubeconfig;
    }

    public static MockKubeFixture start() {
        return start(NAMESPACE);
    }

    /** With the kubeconfig's context (and the kubelet) in {@code namespace} (the machine-pool controller's is fixed). */
    public static MockKubeFixture start(String namespace) {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING); // it logs every request at INFO
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        MockApiDispatcher dispatcher = new MockApiDispatcher(expectations);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Path directory = null;
        try {
            directory = TempDirs.create("kube");
            Path kubeconfig = directory.resolve("kubeconfig");
            Files.writeString(kubeconfig, kubeconfigFor(server.url("/").replaceAll("/$", ""), namespace));
            return new MockKubeFixture(server, dispatcher, directory, kubeconfig, namespace);
        } catch (IOException | RuntimeException e) {
            server.destroy();
            if (directory != null) {
                TempDirs.deleteRecursively(directory);
            }
            throw new FixtureException("cannot write the kubeconfig of the mock API server", e);
        }
    }

    /**
     * A kubeconfig for an API server at {@code url} with one context (current) in {@code namespace}; its
     * user has a bearer token (the mock checks none). Also for tests that need a kubeconfig of a server
     * that is not there.
     */
    public static String kubeconfigFor(String url, String namespace) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    namespace: %s
                    user: tester
                current-context: mock
                users:
                - name: tester
                  user:
                    token: mock-token
                """.formatted(url, namespace);
    }

    /** The kubeconfig file (in the fixture's own directory); hand it to a subprocess as {@code KUBECONFIG}. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String url() {
        return server.url("/").replaceAll("/$", "");
    }

    public String namespace() {
        return namespace;
    }

    /** A new client from the kubeconfig, closed with the fixture (or earlier by the caller). */
    public KubernetesClient newClient() {
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        config.setRequestRetryBackoffLimit(1);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        clients.add(client);
        return client;
    }

    /** A new client adapted to OpenShift's API groups (builds, build configs, image streams). */
    public OpenShiftClient newOpenShiftClient() {
        return newClient().adapt(OpenShiftClient.class);
    }

    /** fabric8's expectation DSL: exact method and path (with its query), served before the CRUD store. */
    public MockServerExpectation expect() {
        return server.expect();
    }

    /**
     * Serves API discovery ({@code /api}, {@code /apis}, resource lists, {@code /version}) for the
     * usual core, apps, RBAC and OpenShift build/image/machine-config kinds, which the mock lacks and
     * {@code kubectl} needs for anything, a client-side dry run included.
     */
    public MockKubeFixture withDiscovery() {
        Discovery.routes().forEach(this::add);
        return this;
    }

    /** Adds a route, tried before expectations and the CRUD store; returns it for {@link #remove}. */
    public Route add(Route route) {
        dispatcher.add(route);
        return route;
    }

    public void remove(Route route) {
        dispatcher.remove(route);
    }

    /**
     * The next {@code times} requests of {@code method} on a path matching {@code pathRegex} get the HTTP
     * status {@code code} with a Kubernetes {@code Status} body: 409 on an update, 403 for a
     * namespace, 410 for a watch, 500 for anything.
     */
    public Route failNext(String method, String pathRegex, int code, int times) {
        return add(Route.times(times, method, pathRegex, (request, path) -> status(code, reasonOf(code),
                "injected by the test: " + request.getMethod() + " " + request.getPath())));
    }

    /**
     * The next {@code times} watches (GET with {@code watch=true}) on a path matching {@code pathRegex}
     * (e.g. {@code /api/v1/namespaces/[^/]+/pods}) get {@code code}: 410 makes a client relist, 500 is a
     * dropped watch. Lists on the same path are served as usual.
     */
    public Route failNextWatch(String pathRegex, int code, int times) {
        return add(Route.times(times, "GET", pathRegex, (request, path) -> status(code, reasonOf(code),
                "injected by the test: watch " + request.getPath())).whenQuery("watch", "true"));
    }

    /**
     * The next {@code times} requests of {@code method} on a path matching {@code pathRegex} are
     * carried out, but their answer is lost: the client gets no usable answer and the connection
     * closes, as when a connection drops under a request. The client sees no HTTP status (fabric8 code 0; its Vert.x
     * client reports {@code HttpClosedException}) and cannot tell whether the write was made.
     */
    public Route loseNextAnswer(String method, String pathRegex, int times) {
        return add(Route.times(times, method, pathRegex, (request, path) -> {
            MockResponse done = dispatcher.crud().dispatch(request);
            // The server adds the true Content-Length beside this one; a client refuses an answer with two
            // and drops the connection (Vert.x: "Multiple Content-Length values found"), so no status reaches the caller.
            return done.setHeader("Content-Length", String.valueOf(done.getBody().size() + 4096)).setHeader("Connection", "close");
        }));
    }

    /** A Kubernetes {@code Status} failure response. */
    public static MockResponse status(int code, String reason, String message) {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String reasonOf(int code) {
        return switch (code) {
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 410 -> "Expired";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            default -> "InternalError";
        };
    }

    /** The CRUD store, for routes that answer from it without a request back to the server. */
    KubernetesCrudDispatcher crud() {
        return dispatcher.crud();
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
        TempDirs.deleteRecursively(directory);
    }
}
