package io.strata.server;

import io.javalin.http.Context;
import io.strata.core.build.BuildRecord;
import io.strata.server.api.ApiJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Server-Sent Events answer written straight to the response, one event per call, flushed at
 * once. The follower (the service's {@code followStates}/{@code followLogs}) runs on a virtual
 * thread of its own while the request's thread writes a comment line every {@code keepAlive}
 * when nothing else was sent: a client that went away shows as a failed write, within one
 * interval even when the build sits in one state for hours, and the follower is then interrupted
 * instead of waiting for the build's next event. Proxies also see the connection is alive.
 */
final class EventStream {
    /** The follow call a stream serves; returns the record as last seen. */
    @FunctionalInterface
    interface Follow {
        BuildRecord run() throws Exception;
    }

    private final OutputStream out;
    private final ServerMetrics metrics;
    private boolean open = true;

    EventStream(Context ctx, ServerMetrics metrics) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
        this.metrics = metrics;
        out.flush();
    }

    /** Sends one event; false once the client is gone. */
    synchronized boolean send(String event, long id, Object data) {
        return write((id > 0 ? "id: " + id + "\n" : "") + "event: " + event + "\n"
                + "data: " + ApiJson.writeCompact(data) + "\n\n");
    }

    private synchronized boolean write(String text) {
        if (!open) {
            return false;
        }
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            open = false;
            return false;
        }
    }

    /**
     * Runs {@code follow} until it returns; every {@code keepAlive} without an answer, writes a
     * comment, and stops the follower when that write fails. Empty when the client left first.
     */
    java.util.Optional<BuildRecord> follow(Follow follow, Duration keepAlive) throws Exception {
        CompletableFuture<BuildRecord> result = new CompletableFuture<>();
        Thread follower = Thread.ofVirtual().name("strata-stream").start(() -> {
            try {
                result.complete(follow.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        metrics.streamOpened();
        try {
            while (true) {
                try {
                    return java.util.Optional.of(result.get(keepAlive.toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException quiet) {
                    if (!write(": keep-alive\n\n")) {
                        follower.interrupt();
                        return java.util.Optional.empty();
                    }
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } catch (InterruptedException e) {
            follower.interrupt();
            throw e;
        } finally {
            metrics.streamClosed();
        }
    }
}
