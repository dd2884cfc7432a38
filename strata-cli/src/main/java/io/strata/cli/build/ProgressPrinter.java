package io.strata.cli.build;

import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows a build's progress on the terminal: state changes, each step as it starts and ends with
 * its duration, and (with --follow) every log line as it happens.
 */
final class ProgressPrinter implements BuildListener {
    private final PrintWriter out;
    private final boolean follow;

    ProgressPrinter(PrintWriter out, boolean follow) {
        this.out = out;
        this.follow = follow;
    }

    private final java.util.Set<String> announced = new java.util.HashSet<>();

    @Override
    public synchronized void on(BuildEvent event) {
        switch (event) {
            case BuildEvent.StateChanged e -> out.println("build " + e.buildId() + ": " + e.state()
                    + e.failure().map(f -> " (" + f.reason() + ")").orElse(""));
            case BuildEvent.StepStarted e -> out.println("[" + e.index() + "/" + e.total() + "] " + e.step() + " ...");
            case BuildEvent.StepFinished e -> out.println("[" + e.timing().step() + "] " + e.timing().outcome().name().toLowerCase()
                    + " in " + seconds(e.timing().duration()) + e.detail().filter(d -> !e.timing().outcome().name().equals("SUCCEEDED"))
                            .map(d -> ": " + d).orElse(""));
            case BuildEvent.LogEmitted e -> {
                if (follow) {
                    out.println("  " + e.line().text());
                }
            }
            case BuildEvent.ImagePushed e -> {
                // The push announces the image, gather_image_content the same image again with its content.
                if (announced.add(e.output().pullspec())) {
                    out.println("pushed " + e.output().pullspec());
                }
            }
            case BuildEvent.SourceCheckedOut e -> out.println("source at commit " + e.commitId());
            case BuildEvent.MetadataExported e -> { }
            case BuildEvent.Progress e -> {
                // With --follow the log shows the same as a line already.
                if (!follow) {
                    out.println("  " + progress(e));
                }
            }
        }
        out.flush();
    }

    /** {@code checkout: 8200/20000, 123.4 MB, 61.7 MB/s} */
    static String progress(BuildEvent.Progress e) {
        return String.format(java.util.Locale.ROOT, "%s: %d%s, %.1f MB, %.1f MB/s", e.activity(), e.done(),
                e.total() > 0 ? "/" + e.total() : "", e.bytes() / 1048576.0, e.bytesPerSecond() / 1048576.0);
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
