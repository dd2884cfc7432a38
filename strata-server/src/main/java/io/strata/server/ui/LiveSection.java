package io.strata.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.server.api.ApiJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a build page that changes while the build runs: state and cancel button (a line of
 * their own), failure with its hint, per-platform workers with their step waterfall and outputs, SBOM/provenance links and
 * the Koji metadata. The page renders it once; the build's update stream sends it again, rendered
 * by the same code, whenever it changes.
 */
final class LiveSection {
    private LiveSection() {}

    /**
     * The build's state and its cancel button (for its owner or an admin, until it has ended). Kept
     * out of the replaced section, so the button is never swapped under a pointer; the script sets
     * the state from each update and removes the button once the build has ended.
     */
    static String statusLine(BuildView build, Viewer viewer) {
        Html html = new Html().raw("<div class=\"status-line\"><span" + Html.attr("class", Shown.badgeClass(build.state()))
                + " id=\"build-state\" aria-live=\"polite\">").text(build.state()).raw("</span>");
        if (!build.terminal() && viewer.caller().mayAccess(build.user())) {
            html.raw("<form method=\"post\" class=\"inline\" id=\"cancel-form\"" + Html.attr("action", "/builds/" + build.id()
                    + "/cancel") + ">").raw(Layout.csrfField(viewer))
                    .raw("<button type=\"submit\" class=\"danger\" id=\"cancel\">Cancel build</button></form>");
        }
        return html.raw("</div>").toString();
    }

    /**
     * The rest, replaced as a whole by each update. {@code running}: the step each running worker is in (by its log's build id, {@link RunningSteps});
     * {@code now}: where that step's bar ends.
     */
    static String render(BuildView build, Viewer viewer, Map<String, String> running, Instant now) {
        Html html = new Html();
        failure(html, build.failure(), "build-failure");
        build.index().ifPresent(index -> html.raw("<p>Image index: <code class=\"pullspec\" id=\"index\">").text(index)
                .raw("</code></p>"));
        for (BuildView.Worker worker : build.workers()) {
            worker(html, worker, "RUNNING".equals(worker.state()) ? Optional.ofNullable(running.get(worker.logBuildId()))
                    : Optional.empty(), build.started(), now);
        }
        attachments(html, build);
        String koji = BuildView.text(build.json(), "koji_metadata");
        if (!koji.isEmpty()) {
            html.raw("<details class=\"koji\"><summary>Koji metadata</summary><pre class=\"json\">").text(pretty(koji))
                    .raw("</pre></details>");
        }
        return html.toString();
    }

    private static void worker(Html html, BuildView.Worker worker, Optional<String> runningStep, Instant started,
            Instant now) {
        html.raw("<section class=\"worker\"" + Html.attr("data-platform", worker.platform()) + "><h2>")
                .text(worker.implicit() ? "Platform " + worker.platform() : "Worker " + worker.platform())
                .raw(" <span" + Html.attr("class", Shown.badgeClass(worker.state()) + " worker-state") + ">")
                .text(worker.state()).raw("</span></h2>");
        if (!worker.implicit()) {
            failure(html, worker.failure(), "worker-failure");
        }
        waterfall(html, worker.steps(), runningStep, started, now);
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

    /**
     * Step timings as bars on one time axis (SVG rectangles: sized without any inline style); the
     * step a running worker is in now gets a bar from the end of the last finished step to now.
     */
    private static void waterfall(Html html, JsonNode steps, Optional<String> runningStep, Instant started, Instant now) {
        List<Bar> bars = new ArrayList<>();
        Instant lastEnd = started;
        for (JsonNode step : steps) {
            Instant start = BuildView.instant(BuildView.text(step, "started_at")).orElse(started);
            Instant end = BuildView.instant(BuildView.text(step, "finished_at")).orElse(start);
            bars.add(new Bar(BuildView.text(step, "step"), start, end, BuildView.text(step, "outcome")));
            lastEnd = end.isAfter(lastEnd) ? end : lastEnd;
        }
        String lastName = bars.isEmpty() ? "" : bars.getLast().step();
        if (runningStep.isPresent() && !runningStep.get().equals(lastName)) {
            bars.add(new Bar(runningStep.get(), lastEnd, now.isAfter(lastEnd) ? now : lastEnd, "RUNNING"));
        }
        if (bars.isEmpty()) {
            html.raw("<p class=\"empty\">No step has started yet.</p>");
            return;
        }
        Instant first = bars.stream().map(Bar::start).min(Instant::compareTo).orElseThrow();
        Instant last = bars.stream().map(Bar::end).max(Instant::compareTo).orElseThrow();
        double total = Math.max(1, Duration.between(first, last).toMillis());
        html.raw("<div class=\"waterfall\" role=\"table\" aria-label=\"step timings\">");
        for (Bar bar : bars) {
            long millis = Duration.between(bar.start(), bar.end()).toMillis();
            long x = Math.round(Duration.between(first, bar.start()).toMillis() / total * 1000);
            long width = Math.max(2, Math.round(millis / total * 1000));
            html.raw("<div class=\"wf-row\" role=\"row\"><span class=\"wf-name\" role=\"cell\">").text(bar.step())
                    .raw("</span><svg class=\"wf-track\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">")
                    .raw("<rect" + Html.attr("x", String.valueOf(Math.min(x, 998))) + Html.attr("width", String.valueOf(width))
                            + " y=\"0\" height=\"10\"" + Html.attr("class", "outcome-" + bar.outcome().toLowerCase(Locale.ROOT))
                            + "/></svg>")
                    .raw("<span class=\"wf-time\" role=\"cell\">").text(seconds(millis) + " " + bar.outcome()).raw("</span></div>");
        }
        html.raw("</div>");
    }

    /** One bar of the waterfall: a finished step, or the running one (outcome RUNNING). */
    private record Bar(String step, Instant start, Instant end, String outcome) {}

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
