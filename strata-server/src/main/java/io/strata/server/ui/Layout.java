package io.strata.server.ui;

/**
 * The frame of every page: head with the served stylesheet and script (no inline script or style,
 * so the Content-Security-Policy can forbid both), the top bar with the signed-in user, and a main
 * region holding the page.
 */
final class Layout {
    static final String CSS = "/ui/assets/strata.css";
    static final String JS = "/ui/assets/strata.js";
    static final String ICON = "/ui/assets/strata.svg";
    /** No inline script, no other origin: a value that slipped past escaping still could not run. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Layout() {}

    static String page(String title, Viewer viewer, String body) {
        Html html = new Html().raw("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<meta name=\"color-scheme\" content=\"light dark\">")
                .raw("<title>").text(title).raw(" - Strata</title>")
                .raw("<link rel=\"icon\" href=\"" + ICON + "\" type=\"image/svg+xml\">")
                .raw("<link rel=\"stylesheet\" href=\"" + CSS + "\"><script src=\"" + JS + "\" defer></script></head><body>")
                .raw("<a class=\"skip\" href=\"#main\">Skip to content</a>")
                .raw("<header class=\"top\"><a class=\"brand\" href=\"/\">Strata</a><nav>");
        if (viewer != null) {
            html.raw("<a href=\"/\">Builds</a><span class=\"who\">").text(viewer.caller().user())
                    .raw(viewer.caller().admin() ? " (admin)" : "").raw("</span>");
            if (viewer.session().isPresent()) {
                html.raw("<form method=\"post\" action=\"/logout\" class=\"inline\">").raw(csrfField(viewer))
                        .raw("<button type=\"submit\" class=\"link\">Sign out</button></form>");
            }
        }
        return html.raw("</nav></header><main id=\"main\" tabindex=\"-1\">").raw(body).raw("</main></body></html>\n").toString();
    }

    static String csrfField(Viewer viewer) {
        return "<input type=\"hidden\" name=\"csrf\"" + Html.attr("value", viewer.csrf()) + ">";
    }
}
