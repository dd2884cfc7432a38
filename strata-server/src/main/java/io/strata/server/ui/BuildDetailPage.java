package io.strata.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.core.build.LogLine;
import io.strata.server.api.ApiJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build's page ({@code /builds/{id}}): the live section (state, workers, steps, outputs), the
 * request with its labels (there from submission on, before any output), the plan, and one log
 * pane per log (the build's, or each worker's when workers have builds of their own).
 */
final class BuildDetailPage {
    /** The request fields shown, in this order, with their labels. */
    private static final Map<String, String> REQUEST_FIELDS = requestFields();

    private BuildDetailPage() {}

    /** {@code logs}: each log's build id and its first lines, already read; {@code liveSection}: {@link LiveSection}'s. */
    static String render(BuildView build, Viewer viewer, Map<String, LogStart> logs, String liveSection) {
        Html html = new Html().raw("<nav class=\"crumbs\"><a href=\"/\">Builds</a> / ").text(build.id()).raw("</nav>")
                .raw("<h1>").text(build.component()).raw(" <span class=\"sub\">").text(build.id()).raw("</span></h1>");
        html.raw(LiveSection.statusLine(build, viewer));
        html.raw("<div id=\"live\"" + Html.attr("data-stream", "/builds/" + build.id() + "/updates?seen="
                        + UiFeeds.version(build.state(), liveSection)) + " aria-live=\"polite\">")
                .raw(liveSection).raw("</div>");
        html.raw("<section class=\"logs\"><h2>Logs</h2>");
        logs.forEach((logId, start) -> LogPane.render(html, logId, paneTitle(build, logId), start));
        html.raw("</section>");
        request(html, build.request());
        keyValues(html, "Labels", "request-labels", build.request().path("labels"));
        plan(html, BuildView.text(build.json(), "plan_json"));
        return Layout.page(build.component() + " " + build.id(), viewer, html.toString());
    }

    /** The first lines of one log and the sequence its stream resumes after. */
    record LogStart(List<LogLine> lines, long after) {}

    private static String paneTitle(BuildView build, String logId) {
        for (BuildView.Worker worker : build.workers()) {
            if (!worker.implicit() && worker.logBuildId().equals(logId) && !logId.equals(build.id())) {
                return "Log of " + worker.platform();
            }
        }
        return "Build log";
    }

    private static void request(Html html, JsonNode request) {
        html.raw("<section class=\"request\"><h2>Request</h2><dl class=\"fields\">");
        REQUEST_FIELDS.forEach((field, label) -> {
            JsonNode value = request.path(field);
            String shown = value.isArray() ? String.join(", ", texts(value))
                    : value.isObject() ? "" : value.isMissingNode() || value.isNull() ? "" : value.asText();
            if (value.isObject() && !value.isEmpty()) {
                html.raw("<dt>").text(label).raw("</dt><dd>");
                value.properties().forEach(e -> html.raw("<div><code>").text(e.getKey() + "=" + e.getValue().asText())
                        .raw("</code></div>"));
                html.raw("</dd>");
            } else if (!shown.isEmpty()) {
                html.raw("<dt>").text(label).raw("</dt><dd>").text(shown).raw("</dd>");
            }
        });
        html.raw("</dl></section>");
    }

    /** A titled table of names and values (labels); "none" when empty. */
    static void keyValues(Html html, String title, String id, JsonNode values) {
        html.raw("<section" + Html.attr("class", "kv " + id) + "><h3>").text(title).raw("</h3>");
        if (!values.isObject() || values.isEmpty()) {
            html.raw("<p class=\"empty\">none</p></section>");
            return;
        }
        html.raw("<table" + Html.attr("id", id) + "><tbody>");
        values.properties().forEach(e -> html.raw("<tr><th scope=\"row\">").text(e.getKey()).raw("</th><td>")
                .text(e.getValue().asText()).raw("</td></tr>"));
        html.raw("</tbody></table></section>");
    }

    private static void plan(Html html, String planJson) {
        html.raw("<section class=\"plan\"><h2>Plan</h2>");
        JsonNode plan;
        try {
            plan = ApiJson.MAPPER.readTree(planJson.isEmpty() ? "{}" : planJson);
        } catch (Exception notJson) {
            plan = ApiJson.MAPPER.createObjectNode();
        }
        JsonNode steps = BuildView.array(plan.path("steps"));
        if (!steps.isEmpty()) {
            html.raw("<table class=\"plan-steps\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Step</th>"
                    + "<th scope=\"col\">Phase</th><th scope=\"col\">On failure</th></tr></thead><tbody>");
            int n = 0;
            for (JsonNode step : steps) {
                String onFailure = step.path("allowed_to_fail").asBoolean() ? "allowed to fail"
                        : step.path("required").asBoolean(true) ? "fails the build" : "optional";
                html.raw("<tr><td>" + ++n + "</td><td>").text(BuildView.text(step, "name")).raw("</td><td>")
                        .text(BuildView.text(step, "phase")).raw("</td><td>").text(onFailure).raw("</td></tr>");
            }
            html.raw("</tbody></table>");
        }
        html.raw("<details><summary>Plan as JSON</summary><pre class=\"json\">").text(LiveSection.pretty(planJson))
                .raw("</pre></details></section>");
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Map<String, String> requestFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("component", "Component");
        fields.put("user", "User");
        fields.put("git_uri", "Git URI");
        fields.put("git_ref", "Git ref");
        fields.put("git_branch", "Git branch");
        fields.put("dockerfile_path", "Dockerfile");
        fields.put("target", "Koji target");
        fields.put("platforms", "Platforms");
        fields.put("scratch", "Scratch");
        fields.put("isolated", "Isolated");
        fields.put("release", "Release");
        fields.put("koji_task_id", "Koji task");
        fields.put("priority", "Priority");
        fields.put("network_policy", "Network policy");
        fields.put("yum_repo_urls", "Yum repos");
        fields.put("build_args", "Build args");
        return fields;
    }
}
