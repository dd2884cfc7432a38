package io.strata.server.ui;

import io.strata.core.build.BuildState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The builds list ({@code /}): the filter form, one row per build (newest first) and the paging
 * links. Rows are rendered here for the page and for the live stream alike, so a row that arrives
 * over the stream is the same markup, escaped the same way.
 */
final class ListPage {
    static final String STREAM = "/ui/builds/stream";

    private ListPage() {}

    static String render(Viewer viewer, ListFilters filters, List<BuildView> builds, Optional<String> nextCursor,
            Optional<String> problem, Instant now) {
        Html html = new Html().raw("<h1>Builds</h1>");
        form(html, filters);
        problem.ifPresent(message -> html.raw("<p class=\"problem\" role=\"alert\">").text(message).raw("</p>"));
        html.raw("<p class=\"live-note\" id=\"list-status\" aria-live=\"polite\"></p>")
                .raw("<table class=\"builds\" id=\"builds\"")
                .raw(problem.isEmpty() ? Html.attr("data-stream", STREAM + filters.queryString(true, Optional.empty())) : "")
                .raw(Html.attr("data-limit", filters.get("limit").isEmpty() ? String.valueOf(ListFilters.DEFAULT_LIMIT)
                        : filters.get("limit")))
                .raw("><thead><tr><th scope=\"col\">Build</th><th scope=\"col\">NVR</th><th scope=\"col\">Platforms</th>"
                        + "<th scope=\"col\">User</th><th scope=\"col\">Started</th><th scope=\"col\">Duration</th>"
                        + "<th scope=\"col\">State</th></tr></thead><tbody>");
        for (BuildView build : builds) {
            html.raw(row(build, now));
        }
        html.raw("</tbody></table>");
        if (builds.isEmpty()) {
            html.raw("<p class=\"empty\" id=\"no-builds\">No builds match.</p>");
        }
        html.raw("<nav class=\"paging\" aria-label=\"pages\">");
        if (!filters.get("cursor").isEmpty()) {
            html.raw("<a" + Html.attr("href", "/" + filters.queryString(false, Optional.empty())) + ">First page</a>");
        }
        nextCursor.ifPresent(cursor -> html.raw("<a rel=\"next\"" + Html.attr("href", "/" + filters.queryString(true,
                Optional.of(cursor))) + ">Next page</a>"));
        return Layout.page("Builds", viewer, html.raw("</nav>").toString());
    }

    private static void form(Html html, ListFilters filters) {
        html.raw("<form class=\"filters\" method=\"get\" action=\"/\" role=\"search\">")
                .raw("<label>State <select name=\"state\"><option value=\"\">any</option>");
        for (BuildState state : BuildState.values()) {
            html.raw("<option" + Html.attr("value", state.name()) + (state.name().equalsIgnoreCase(filters.get("state"))
                    ? " selected" : "") + ">").text(state.name()).raw("</option>");
        }
        html.raw("</select></label>");
        field(html, "Component", "component", "text", filters);
        field(html, "User", "user", "text", filters);
        field(html, "Created after (UTC)", "after", "datetime-local", filters);
        field(html, "Created before (UTC)", "before", "datetime-local", filters);
        if (!filters.get("limit").isEmpty()) {
            html.raw("<input type=\"hidden\" name=\"limit\"" + Html.attr("value", filters.get("limit")) + ">");
        }
        html.raw("<button type=\"submit\">Filter</button> <a href=\"/\">Clear</a></form>");
    }

    private static void field(Html html, String label, String name, String type, ListFilters filters) {
        html.raw("<label>").text(label).raw(" <input" + Html.attr("type", type) + Html.attr("name", name)
                + Html.attr("value", filters.get(name)) + (type.equals("datetime-local") ? " step=\"1\"" : "") + "></label>");
    }

    /** One build's row; {@code now} gives a running build its duration so far. */
    static String row(BuildView build, Instant now) {
        Instant started = build.started();
        Duration took = Duration.between(started, build.finished().orElse(now));
        Html html = new Html().raw("<tr" + Html.attr("id", "build-" + build.id()) + Html.attr("data-id", build.id())
                + Html.attr("data-state", build.state()) + (build.terminal() ? "" : Html.attr("data-started", started.toString()))
                + ">");
        html.raw("<td data-label=\"Build\"><a class=\"build-link\"" + Html.attr("href", "/builds/" + build.id()) + ">")
                .text(build.component()).raw("</a><div class=\"sub\">").text(build.id()).raw("</div></td>");
        html.raw("<td data-label=\"NVR\">").text(build.nvr().orElse("-")).raw("</td><td data-label=\"Platforms\">");
        for (BuildView.Worker worker : build.workers()) {
            html.raw("<span" + Html.attr("class", Shown.badgeClass(worker.state()) + " platform") + ">")
                    .text(worker.platform() + " " + worker.state()).raw("</span> ");
        }
        html.raw("</td><td data-label=\"User\">").text(build.user()).raw("</td>")
                .raw("<td data-label=\"Started\"><time" + Html.attr("datetime", started.toString()) + ">")
                .text(Shown.time(started)).raw("</time></td>")
                .raw("<td data-label=\"Duration\" class=\"duration\">").text(Shown.duration(took)).raw("</td>")
                .raw("<td data-label=\"State\"><span" + Html.attr("class", Shown.badgeClass(build.state()) + " build-state") + ">")
                .text(build.state()).raw("</span></td></tr>");
        return html.toString();
    }
}
