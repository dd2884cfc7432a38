package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line over the build service with the dry-run engine: no registry, no buildah, no git
 * server, yet every state and step, and the record commands see the result.
 */
class DryRunCommandsTest {
    private static final Pattern BUILD_ID = Pattern.compile("build (\\d{8}-\\d{6}-[0-9a-f]{6}): RUNNING");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    Run strata(String... args) throws Exception {
        Path config = dir.resolve("osbs.conf");
        if (!Files.exists(config)) {
            Files.writeString(config, "[default]\nstrata_home = " + dir.resolve("home") + "\nstrata_engine = dry-run\n"
                    + "strata_dry_run_delay = 100ms\n");
        }
        var out = new StringWriter();
        var err = new StringWriter();
        String[] withConfig = new String[args.length + 2];
        withConfig[0] = args[0];
        withConfig[1] = "--config";
        withConfig[2] = config.toString();
        System.arraycopy(args, 1, withConfig, 3, args.length - 1);
        int exit = CliRunner.run(TestCli.in(dir).environment(), new PrintWriter(out, true), new PrintWriter(err, true),
                withConfig);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aDryRunBuildWalksEveryStepWithoutARegistryAndTheRecordCommandsSeeIt() throws Exception {
        Run build = strata("build", "--component", "hello", "--git-uri", "https://git.example.com/hello.git",
                "--git-ref", "main");

        assertThat(build.exit()).as(build.err()).isZero();
        assertThat(build.err()).contains("[buildah_build]", "COMPLETE");
        Matcher id = BUILD_ID.matcher(build.err());
        assertThat(id.find()).as(build.err()).isTrue();

        Run get = strata("get-build", id.group(1));
        assertThat(get.exit()).isZero();
        assertThat(get.out()).contains("state      COMPLETE", "tag_and_push");
        Run logs = strata("build-logs", id.group(1));
        assertThat(logs.out()).contains("dry run: tag_and_push (attempt 1, nothing is built)");
        Run list = strata("list-builds");
        assertThat(list.out()).contains(id.group(1), "hello", "COMPLETE");
        Run cancel = strata("cancel-build", id.group(1));
        assertThat(cancel.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(cancel.err()).contains("is COMPLETE already; there is nothing to cancel [BUILD_NOT_RUNNING]");
    }
}
