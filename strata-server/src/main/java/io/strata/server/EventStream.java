package io.strata.server;

import io.javalin.http.Context;
import io.strata.server.api.ApiJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events answer written straight to the response, one event per call, flushed at
 * once. The handler's (virtual) thread blocks while it follows a build; a client that went away
 * shows as a failed write, after which {@link #send} answers false and the follower stops.
 */
final class EventStream {
    private final OutputStream out;
    private boolean open = true;

    EventStream(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
        out.flush();
    }

    /** Sends one event; false once the client is gone. */
    boolean send(String event, long id, Object data) {
        if (!open) {
            return false;
        }
        String text = (id > 0 ? "id: " + id + "\n" : "") + "event: " + event + "\n"
                + "data: " + ApiJson.writeCompact(data) + "\n\n";
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            open = false;
            return false;
        }
    }
}
