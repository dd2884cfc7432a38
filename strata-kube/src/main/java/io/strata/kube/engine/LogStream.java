package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * A worker's log followed as a stream ({@code GET .../log?follow=true}, a Pod's or an OpenShift
 * Build's) on a virtual thread of its own: each complete line goes to the {@link LogPump} with its
 * position in the stream as it arrives. A stream that ends while the worker may still write (a
 * dropped connection, an API server closing it) is opened again after a pause; it starts at the
 * log's first line again, and the pump takes only the lines past those it has.
 *
 * <p>Resuming counts lines rather than asking for {@code sinceTime}: {@code sinceTime} has a
 * resolution of one second, so lines written in the second of the drop would be lost or repeated,
 * and it would also need the service's and the node's clocks to agree. Reading the log again from
 * its start costs little next to a worker's image, and only on a reconnect. A half-written last
 * line of a stream that ends is left for the next stream, which has it whole.
 */
final class LogStream implements AutoCloseable {
    private final KubernetesClient client;
    private final String path;
    private final LogPump pump;
    private final long reconnectMillis;
    private final Thread thread;
    private volatile boolean closed;
    private volatile InputStream current;
    private volatile int opened;

    /** {@code path}: the log's API path under the server's URL, without its query. */
    private LogStream(KubernetesClient client, String path, LogPump pump, long reconnectMillis, String name) {
        this.client = client;
        this.path = path;
        this.pump = pump;
        this.reconnectMillis = reconnectMillis;
        this.thread = Thread.ofVirtual().name("strata-log-" + name).unstarted(this::follow);
    }

    static LogStream start(KubernetesClient client, String path, LogPump pump, long reconnectMillis, String name) {
        LogStream stream = new LogStream(client, path, pump, reconnectMillis, name);
        stream.thread.start();
        return stream;
    }

    /** How many times a stream was opened (1 when the first one lasted). */
    int opened() {
        return opened;
    }

    private void follow() {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString();
        URI uri = URI.create((base.endsWith("/") ? base : base + "/") + path + "?follow=true");
        while (!closed) {
            try {
                HttpResponse<InputStream> response = http.sendAsync(http.newHttpRequestBuilder().uri(uri).build(), InputStream.class).get();
                opened++;
                try (InputStream body = response.body()) {
                    if (response.code() == 200 && body != null) {
                        current = body;
                        read(body);
                    }
                }
            } catch (IOException | ExecutionException | RuntimeException e) {
                // Dropped or refused (the container not started yet: 400): opened again after the pause.
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                try {
                    Thread.sleep(reconnectMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void read(InputStream body) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long position = 0;
        for (int n; (n = body.read(buffer)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    pump.lineAt(++position, line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(buffer[i]);
                }
            }
        }
    }

    /** Stops following; lines already handed to the pump stay. */
    @Override
    public void close() {
        closed = true;
        InputStream body = current;
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing only to end the read
            }
        }
        thread.interrupt();
        try {
            // Bounded: an HTTP client that does not end a read on close must not hold the build's end.
            thread.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
