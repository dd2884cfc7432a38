package io.strata.server.ui;

import io.strata.core.build.LogLine;

/**
 * One log on a build page: its toolbar (follow, pause, search, first error, download) and its
 * lines. The lines read so far are in the page, escaped here; the page's stream brings the lines
 * after {@code data-after} and the script adds each as text (never as markup).
 */
final class LogPane {
    /** Lines put into the page itself; the stream brings the rest. */
    static final int FIRST_LINES = 2000;

    private LogPane() {}

    static void render(Html html, String buildId, String title, BuildDetailPage.LogStart start) {
        String pane = "log-" + buildId;
        html.raw("<div class=\"log-pane\"" + Html.attr("id", pane) + Html.attr("data-log", buildId)
                        + Html.attr("data-after", String.valueOf(start.after())) + ">")
                .raw("<h3>").text(title).raw(" <span class=\"log-state\" aria-live=\"polite\"></span></h3>")
                .raw("<div class=\"log-tools\" role=\"toolbar\"" + Html.attr("aria-label", title + " tools") + ">")
                .raw("<label><input type=\"checkbox\" class=\"log-follow\" checked> Follow</label>")
                .raw("<button type=\"button\" class=\"log-pause\" aria-pressed=\"false\">Pause</button>")
                .raw("<label class=\"log-search-label\">Search <input type=\"search\" class=\"log-search\" placeholder=\"text in a line\"></label>")
                .raw("<span class=\"log-matches\" aria-live=\"polite\"></span>")
                .raw("<button type=\"button\" class=\"log-first-error\">First error</button>")
                .raw("<a class=\"log-download\" download" + Html.attr("href", "/builds/" + buildId + "/log.txt") + ">Download</a>")
                .raw("</div><div class=\"log\" tabindex=\"0\" role=\"log\"" + Html.attr("aria-label", title) + ">");
        for (LogLine line : start.lines()) {
            html.raw(line(line));
        }
        html.raw("</div></div>");
    }

    static String line(LogLine line) {
        return new Html().raw("<div class=\"ln\"" + Html.attr("data-seq", String.valueOf(line.sequence())) + "><span class=\"step\">")
                .text(line.step()).raw("</span><span class=\"tx\">").text(line.text()).raw("</span></div>").toString();
    }
}
