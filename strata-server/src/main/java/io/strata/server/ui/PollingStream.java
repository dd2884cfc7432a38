package io.strata.server.ui;

import io.javalin.http.Context;
import io.strata.server.api.ApiJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A Server-Sent Events answer of the UI, fed by asking the build service again every
 * {@code interval} (the service's own followers poll the store the same way). Each {@link Tick}
 * sends what changed and says whether to go on. A comment goes out when nothing else did for
 * {@link #KEEP_ALIVE}, so a browser that left shows as a failed write and the loop ends.
 */
final class PollingStream {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    /** One look at the service; false once the stream has said everything (the build ended). */
    @FunctionalInterface
    interface Tick {
        boolean run(PollingStream stream) throws Exception;
    }

    private final OutputStream out;
    private boolean open = true;
    private long lastWrite = System.nanoTime();

    private PollingStream(OutputStream out) {
        this.out = out;
    }

    /** Serves until the tick says done, the browser has left, or {@code stopping} says the server is closing. */
    static void serve(Context ctx, Duration interval, BooleanSupplier stopping, Tick tick) throws Exception {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        PollingStream stream = new PollingStream(ctx.res().getOutputStream());
        stream.write(": stream open\n\n");
        try {
            while (stream.open && !stopping.getAsBoolean() && tick.run(stream)) {
                if (System.nanoTime() - stream.lastWrite > KEEP_ALIVE.toNanos()) {
                    stream.write(": keep-alive\n\n");
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One event; a non-empty {@code id} is sent as the event id, which a reconnecting browser sends back. */
    boolean send(String event, String id, Object data) {
        return write((id.isEmpty() ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + ApiJson.writeCompact(data) + "\n\n");
    }

    boolean isOpen() {
        return open;
    }

    private boolean write(String text) {
        if (!open) {
            return false;
        }
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.nanoTime();
            return true;
        } catch (IOException | RuntimeException gone) {
            open = false;
            return false;
        }
    }
}
