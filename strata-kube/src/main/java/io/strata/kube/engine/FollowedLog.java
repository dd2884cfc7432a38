package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * A worker's log while its follower runs: streamed into the record ({@link LogStream}) from the
 * moment the worker runs, then, once the worker ended, read whole one last time so the record
 * surely has every line (the stream may have dropped just before the end); the {@link LogPump}
 * keeps any line from arriving twice.
 */
final class FollowedLog implements AutoCloseable {
    /** Pause before a stream that ended is opened again while the worker runs. */
    static final long RECONNECT_MILLIS = 1000;

    private final KubernetesClient client;
    private final String path;
    private final LogPump pump;
    private final String name;
    private LogStream stream;

    /** {@code path}: the log's API path, e.g. {@code api/v1/namespaces/NS/pods/NAME/log}. */
    FollowedLog(KubernetesClient client, String path, LogPump pump, String name) {
        this.client = client;
        this.path = path;
        this.pump = pump;
        this.name = name;
    }

    /** The worker runs: its log is followed from now on (once). */
    void running() {
        if (stream == null) {
            stream = LogStream.start(client, path, pump, RECONNECT_MILLIS, name);
        }
    }

    /** The worker ended: the stream stops and the whole log is read; returns it ("" when it cannot be read). */
    String ended(Supplier<String> whole) {
        close();
        try {
            String text = whole.get();
            pump.offer(text);
            return text;
        } catch (KubernetesClientException e) {
            return ""; // gone already: the result says more
        }
    }

    LogPump pump() {
        return pump;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
