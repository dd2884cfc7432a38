package io.strata.server.ui;

import java.util.Optional;

/** The sign-in form ({@code /login}): one API token field; {@code next} is where the browser goes after. */
final class LoginPage {
    private LoginPage() {}

    static String render(String next, Optional<String> problem) {
        Html html = new Html().raw("<h1>Sign in</h1>");
        problem.ifPresent(message -> html.raw("<p class=\"problem\" role=\"alert\" id=\"login-problem\">").text(message).raw("</p>"));
        html.raw("<form method=\"post\" action=\"/login\" class=\"login\">")
                .raw("<input type=\"hidden\" name=\"next\"" + Html.attr("value", next) + ">")
                .raw("<label for=\"token\">API token</label>")
                .raw("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required autofocus "
                        + "placeholder=\"strata_...\" spellcheck=\"false\">")
                .raw("<button type=\"submit\" id=\"sign-in\">Sign in</button>")
                .raw("<p class=\"hint\">An admin makes tokens with <code>strata tokens create --user NAME</code> on the "
                        + "server's store. The browser keeps a session cookie, never the token.</p></form>");
        return Layout.page("Sign in", null, html.toString());
    }

    /** {@code next} if it is a path of this server, else {@code /}: the form cannot send a browser elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            return "/";
        }
        return next;
    }
}
