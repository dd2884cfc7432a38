package io.strata.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.server.api.ApiJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The part of a build page that changes while the build runs: state, cancel button, failure with
 * its hint, per-platform workers with their step waterfall and outputs, SBOM/provenance links and
 * the Koji metadata. The page renders it once; the build's update stream sends it again, rendered
 * by the same code, whenever it changes.
 */
final class LiveSection {
    private LiveSection() {}

    static String render(BuildView build, Viewer viewer) {
        Html html = new Html().raw("<div class=\"status-line\"><span" + Html.attr("class", Shown.badgeClass(build.state()))
                + " id=\"build-state\">").text(build.state()).raw("</span>");
        if (!build.terminal() && viewer.caller().mayAccess(build.user())) {
            html.raw("<form method=\"post\" class=\"inline\" id=\"cancel-form\"" + Html.attr("action", "/builds/" + build.id()
                    + "/cancel") + ">").raw(Layout.csrfField(viewer))
                    .raw("<button type=\"submit\" class=\"danger\" id=\"cancel\">Cancel build</button></form>");
        }
        html.raw("</div>");
        failure(html, build.failure(), "build-failure");
        build.index().ifPresent(index -> html.raw("<p>Image index: <code class=\"pullspec\" id=\"index\">").text(index)
                .raw("</code></p>"));
        for (BuildView.Worker worker : build.workers()) {
            worker(html, worker);
        }
        attachments(html, build);
        String koji = BuildView.text(build.json(), "koji_metadata");
        if (!koji.isEmpty()) {
            html.raw("<details class=\"koji\"><summary>Koji metadata</summary><pre class=\"json\">").text(pretty(koji))
                    .raw("</pre></details>");
        }
        return html.toString();
    }

    private static void worker(Html html, BuildView.Worker worker) {
        html.raw("<section class=\"worker\"" + Html.attr("data-platform", worker.platform()) + "><h2>")
                .text(worker.implicit() ? "Platform " + worker.platform() : "Worker " + worker.platform())
                .raw(" <span" + Html.attr("class", Shown.badgeClass(worker.state()) + " worker-state") + ">")
                .text(worker.state()).raw("</span></h2>");
        if (!worker.implicit()) {
            failure(html, worker.failure(), "worker-failure");
        }
        waterfall(html, worker.steps());
        for (JsonNode output : worker.outputs()) {
            output(html, output);
        }
        html.raw("</section>");
    }

    private static void failure(Html html, JsonNode failure, String cls) {
        String reason = BuildView.text(failure, "reason");
        if (reason.isEmpty()) {
            return;
        }
        html.raw("<div" + Html.attr("class", "failure " + cls) + " role=\"alert\"><p><strong class=\"reason\">").text(reason)
                .raw("</strong> ").el("span", "message", BuildView.text(failure, "message")).raw("</p>");
        String hint = BuildView.text(failure, "hint");
        if (!hint.isEmpty()) {
            html.raw("<p class=\"hint\">Fix: ").text(hint).raw("</p>");
        }
        html.raw("</div>");
    }

    /** Step timings as bars on one time axis (SVG rectangles: sized without any inline style). */
    private static void waterfall(Html html, JsonNode steps) {
        if (steps.isEmpty()) {
            html.raw("<p class=\"empty\">No step has finished yet.</p>");
            return;
        }
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (JsonNode step : steps) {
            Instant start = BuildView.instant(BuildView.text(step, "started_at")).orElse(Instant.EPOCH);
            Instant end = BuildView.instant(BuildView.text(step, "finished_at")).orElse(start);
            first = start.isBefore(first) ? start : first;
            last = end.isAfter(last) ? end : last;
        }
        double total = Math.max(1, Duration.between(first, last).toMillis());
        html.raw("<div class=\"waterfall\" role=\"table\" aria-label=\"step timings\">");
        for (JsonNode step : steps) {
            Instant start = BuildView.instant(BuildView.text(step, "started_at")).orElse(first);
            Instant end = BuildView.instant(BuildView.text(step, "finished_at")).orElse(start);
            long millis = Duration.between(start, end).toMillis();
            long x = Math.round(Duration.between(first, start).toMillis() / total * 1000);
            long width = Math.max(2, Math.round(millis / total * 1000));
            String outcome = BuildView.text(step, "outcome");
            html.raw("<div class=\"wf-row\" role=\"row\"><span class=\"wf-name\" role=\"cell\">").text(BuildView.text(step, "step"))
                    .raw("</span><svg class=\"wf-track\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">")
                    .raw("<rect" + Html.attr("x", String.valueOf(Math.min(x, 998))) + Html.attr("width", String.valueOf(width))
                            + " y=\"0\" height=\"10\"" + Html.attr("class", "outcome-" + outcome.toLowerCase(Locale.ROOT)) + "/></svg>")
                    .raw("<span class=\"wf-time\" role=\"cell\">").text(seconds(millis) + " " + outcome).raw("</span></div>");
        }
        html.raw("</div>");
    }

    private static String seconds(long millis) {
        return millis < 10_000 ? String.format(Locale.ROOT, "%.2fs", millis / 1000.0)
                : Shown.duration(Duration.ofMillis(millis));
    }

    private static void output(Html html, JsonNode output) {
        String pullspec = BuildView.text(output, "repository") + "@" + BuildView.text(output, "digest");
        html.raw("<div class=\"output\"><dl>")
                .raw("<dt>Pullspec</dt><dd><code class=\"pullspec\">").text(pullspec).raw("</code></dd>")
                .raw("<dt>Tags</dt><dd>");
        for (JsonNode tag : BuildView.array(output.path("tags"))) {
            html.el("code", "tag", BuildView.text(output, "repository") + ":" + tag.asText()).raw(" ");
        }
        JsonNode layers = BuildView.array(output.path("layer_digests"));
        html.raw("</dd><dt>Size</dt><dd class=\"size\">").text(Shown.size(output.path("size_bytes").asLong()))
                .raw("</dd><dt>Layers</dt><dd><details><summary>").text(layers.size() + " layers").raw("</summary><ol class=\"layers\">");
        layers.forEach(layer -> html.raw("<li><code>").text(layer.asText()).raw("</code></li>"));
        html.raw("</ol></details></dd>");
        JsonNode parents = output.path("parent_images");
        if (parents.isObject() && !parents.isEmpty()) {
            html.raw("<dt>Parents</dt><dd>");
            parents.properties().forEach(p -> html.raw("<div><code>").text(p.getKey()).raw("</code> &rarr; <code>")
                    .text(p.getValue().asText()).raw("</code></div>"));
            html.raw("</dd>");
        }
        html.raw("</dl>");
        BuildDetailPage.keyValues(html, "Image labels", "output-labels", output.path("labels"));
        html.raw("</div>");
    }

    private static void attachments(Html html, BuildView build) {
        var found = build.attachments();
        if (found.isEmpty()) {
            return;
        }
        html.raw("<section class=\"attachments\"><h2>Supply chain</h2><ul>");
        for (BuildView.Attachment attachment : found) {
            html.raw("<li>").text(attachment.kind()).raw(": ");
            if (attachment.isLink()) {
                html.raw("<a" + Html.attr("href", attachment.where()) + " rel=\"noreferrer\">").text(attachment.where()).raw("</a>");
            } else {
                html.el("code", null, attachment.where());
            }
            html.raw("</li>");
        }
        html.raw("</ul></section>");
    }

    static String pretty(String json) {
        try {
            return ApiJson.write(ApiJson.MAPPER.readTree(json));
        } catch (Exception notJson) {
            return json;
        }
    }
}
