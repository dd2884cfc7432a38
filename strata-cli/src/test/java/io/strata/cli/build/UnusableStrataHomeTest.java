package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A strata_home the store cannot live in: one clear STORE_UNAVAILABLE message naming the directory
 * and the fix, exit 1, nothing on stdout, no stack trace.
 */
class UnusableStrataHomeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list-builds", "get-build", "build-logs", "cancel-build"})
    void aHomeUnderProcIsOneClearMessage(String command) throws Exception {
        assertOneClearMessage(command, Path.of("/proc/strata-no-such-home"), "/proc/strata-no-such-home/store");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list-builds", "get-build", "build-logs", "cancel-build"})
    void aHomeThatIsARegularFileIsOneClearMessage(String command) throws Exception {
        Path file = Files.writeString(dir.resolve("home-is-a-file"), "");
        assertOneClearMessage(command, file, file + "/store");
    }

    private void assertOneClearMessage(String command, Path home, String directory) throws Exception {
        Path config = Files.writeString(dir.resolve("osbs.conf"), "[default]\nstrata_home = " + home + "\n");
        var out = new StringWriter();
        var err = new StringWriter();
        String[] args = command.equals("list-builds")
                ? new String[] {command, "--config", config.toString()}
                : new String[] {command, "--config", config.toString(), "20261122-004512-3f9a1c"};

        int exit = CliRunner.run(new PrintWriter(out, true), new PrintWriter(err, true), args);

        assertThat(exit).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines().toList()).hasSize(2);
        assertThat(err.toString())
                .startsWith("strata: cannot use the build store at jdbc:sqlite:" + home + "/store/strata.db: cannot create"
                        + " the directory " + directory + " (")
                .contains("[STORE_UNAVAILABLE]")
                .contains("  fix: check that $STRATA_HOME (strata_home) is a directory you can write")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }
}
