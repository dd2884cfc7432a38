package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Progress of long transfers on the terminal: a line per progress event, unless the log (--follow) shows it already. */
class ProgressPrinterTest {
    static final BuildEvent.Progress CHECKOUT = new BuildEvent.Progress(new BuildId("20261201-100000-abcdef"),
            Instant.EPOCH, "checkout", 8200, 20000, 123L * 1024 * 1024 + 400 * 1024, 61.7 * 1024 * 1024);

    @Test
    void aProgressEventIsOneLineWithCountBytesAndRate() {
        StringWriter out = new StringWriter();
        new ProgressPrinter(new PrintWriter(out), false).on(CHECKOUT);
        new ProgressPrinter(new PrintWriter(out), false).on(new BuildEvent.Progress(CHECKOUT.buildId(), Instant.EPOCH, "push",
                3, 0, 0, 0));
        assertThat(out.toString().lines()).containsExactly("  checkout: 8200/20000, 123.4 MB, 61.7 MB/s",
                "  push: 3, 0.0 MB, 0.0 MB/s");
    }

    @Test
    void followingTheLogShowsTheLogsLineInstead() {
        StringWriter out = new StringWriter();
        new ProgressPrinter(new PrintWriter(out), true).on(CHECKOUT);
        assertThat(out.toString()).isEmpty();
    }
}
