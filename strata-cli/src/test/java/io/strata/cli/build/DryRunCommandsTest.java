package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    @Test
    void aMultiPlatformBuildHasOneWorkerBuildPerPlatformShownUnderItsOrchestratorOnly() throws Exception {
        Run build = strata("build", "--component", "hello", "--git-uri", "https://git.example.com/hello.git",
                "--git-ref", "main", "--platforms", "x86_64,aarch64,s390x");

        assertThat(build.exit()).as(build.err()).isZero();
        assertThat(build.err()).contains("orchestrate_build", "COMPLETE");
        Matcher id = BUILD_ID.matcher(build.err());
        assertThat(id.find()).as(build.err()).isTrue();

        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var record = json.readTree(strata("get-build", id.group(1), "--json").out());
        var workers = record.path("workers");
        assertThat(workers).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(workers.get(i).path("platform").asText()).isEqualTo(List.of("x86_64", "aarch64", "s390x").get(i));
            assertThat(workers.get(i).path("state").asText()).isEqualTo("COMPLETE");
            assertThat(workers.get(i).path("steps").size()).isPositive();
            assertThat(workers.get(i).has("outputs") && workers.get(i).has("failure")).isTrue();
        }
        String arm = workers.get(1).path("id").asText();
        assertThat(json.readTree(strata("get-build", arm, "--json").out()).path("parent").asText()).isEqualTo(id.group(1));

        Run list = strata("list-builds", "--json");
        assertThat(json.readTree(list.out())).hasSize(1);
        assertThat(strata("get-build", id.group(1)).out()).contains("workers", "aarch64", arm);

        Run logs = strata("build-logs", id.group(1));
        assertThat(logs.out()).contains("[orchestrator] building 3 platforms in parallel: x86_64, aarch64, s390x",
                "[aarch64] dry run: tag_and_push (attempt 1, nothing is built)", "[s390x] dry run: buildah_build");
        Run one = strata("build-logs", id.group(1), "--platform", "s390x");
        assertThat(one.out()).contains("dry run: buildah_build").doesNotContain("[s390x]", "orchestrator");
        Run followed = strata("build-logs", id.group(1), "--follow", "--platform", "aarch64");
        assertThat(followed.out()).isEqualTo(strata("build-logs", arm).out());
        Run other = strata("build-logs", id.group(1), "--platform", "ppc64le");
        assertThat(other.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(other.err()).contains("[PLATFORM_NOT_IN_BUILD]", "fix:");
    }

    @Test
    void archOverrideBuildsItsPlatformsForAScratchBuildOnly() throws Exception {
        Run refused = strata("build", "--component", "hello", "--git-uri", "https://git.example.com/hello.git",
                "--git-ref", "main", "--arch-override", "aarch64");
        assertThat(refused.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(refused.err()).contains("[ARCH_OVERRIDE_NOT_ALLOWED]");

        Run build = strata("build", "--component", "hello", "--git-uri", "https://git.example.com/hello.git",
                "--git-ref", "main", "--platforms", "x86_64", "--arch-override", "aarch64,s390x", "--scratch");
        assertThat(build.exit()).as(build.err()).isZero();
        Matcher id = BUILD_ID.matcher(build.err());
        assertThat(id.find()).isTrue();
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(strata("get-build", id.group(1), "--json").out());
        assertThat(record.path("request").path("platforms").toString()).isEqualTo("[\"aarch64\",\"s390x\"]");
        assertThat(record.path("workers")).hasSize(2);
    }
}
