package io.strata.server.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The UI's three files, served from this jar (no CDN, nothing fetched at run time): the stylesheet,
 * the script and the icon. Open to everyone, since the sign-in page needs them; any other name is 404.
 */
final class UiAssets {
    private static final Map<String, String> TYPES = Map.of(
            "strata.css", "text/css;charset=utf-8",
            "strata.js", "text/javascript;charset=utf-8",
            "strata.svg", "image/svg+xml");
    private static final Map<String, byte[]> CONTENT = Map.of(
            "strata.css", read("strata.css"),
            "strata.js", read("strata.js"),
            "strata.svg", read("strata.svg"));

    private UiAssets() {}

    static void serve(Context ctx, String name) {
        byte[] content = CONTENT.get(name);
        ctx.header("X-Content-Type-Options", "nosniff");
        if (content == null) {
            ctx.status(404).contentType("text/plain").result("no asset " + name);
            return;
        }
        ctx.header("Cache-Control", "no-cache").contentType(TYPES.get(name)).result(content);
    }

    private static byte[] read(String name) {
        try (InputStream in = UiAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the strata-server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
