package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The last line of defence: a bug still ends in one message with a reason and a fix, the trace in a file. */
class CliRunnerTest {
    @Test
    void anInternalErrorIsOneMessageAndItsStackTraceGoesToAFile() throws Exception {
        StringWriter err = new StringWriter();

        int exit = CliRunner.report(new IllegalStateException("boom\nsecond line"), new PrintWriter(err, true));

        assertThat(exit).isEqualTo(CliRunner.EXIT_INTERNAL);
        assertThat(err.toString()).startsWith("strata: internal error: java.lang.IllegalStateException: boom [INTERNAL_ERROR]\n"
                + "  fix: this is a bug in Strata; please report it with the stack trace in ")
                .doesNotContain("\tat ", "second line");
        Matcher file = Pattern.compile("stack trace in (\\S+)").matcher(err.toString());
        assertThat(file.find()).isTrue();
        Path trace = Path.of(file.group(1));
        try {
            assertThat(Files.readString(trace)).contains("boom", "\tat io.strata.cli.CliRunnerTest");
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    @Test
    void aUsageErrorCarriesItsReasonAndWhereToLook() {
        TestCli.Run run = TestCli.in(Path.of("target")).run("list-builds", "--limit", "-1");

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_USAGE);
        assertThat(run.err()).isEqualTo("strata: --limit must be at least 1, was -1 [INVALID_USAGE]\n"
                + "  fix: see `strata list-builds --help`\n");
    }

    @Test
    void theHelpListsTheExitCodes() {
        TestCli.Run run = TestCli.in(Path.of("target")).run("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Exit codes", "4   the build was CANCELLED", "2   bad usage (INVALID_USAGE)");
    }
}
