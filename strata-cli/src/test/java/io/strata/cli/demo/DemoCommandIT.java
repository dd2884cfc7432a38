package io.strata.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, `strata demo`, end to end on embedded defaults (its own registry and base image). */
class DemoCommandIT {
    @TempDir
    Path home;

    @Test
    void demoBuildsTheBundledExampleAndShowsTheResult() throws Exception {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nstrata_home = " + home.resolve("strata") + "\n");
        TestCli.Run run = TestCli.in(home).run(
                "demo", "--config", config.toString(), "--example", Path.of("../examples/hello-strata").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("throwaway registry", "busybox base image", "[11/11] export_koji_metadata", "COMPLETE");
        assertThat(run.out()).containsPattern("Built 127\\.0\\.0\\.1:\\d+/strata-demo/hello@sha256:[0-9a-f]{64}")
                .contains("tags:   build-", "1.0-1", "version=1.0 release=1", "./strata get-build ")
                .contains("Running it", "Hello from an image built by Strata", "component: built");
        assertThat(TestCli.in(home).run("list-builds", "--config", config.toString()).out()).contains("hello-strata", "COMPLETE");
    }

    @Test
    void demoBuildsForTwoPlatformsIntoOneIndexAndRunsEachPlatformsImage() throws Exception {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nstrata_home = " + home.resolve("strata") + "\n");
        TestCli.Run run = TestCli.in(home).run("demo", "--config", config.toString(), "--platforms", "x86_64,aarch64",
                "--example", Path.of("../examples/hello-strata").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("base image index for amd64, arm64", "orchestrate_build", "COMPLETE");
        assertThat(run.out()).containsPattern("Built 127\\.0\\.0\\.1:\\d+/strata-demo/hello@sha256:[0-9a-f]{64}")
                .contains("an image index of 2 platforms", "x86_64  127.0.0.1:", "aarch64  127.0.0.1:", "--platform P")
                .contains("[x86_64] Hello from an image built by Strata", "[x86_64] (uname -m: x86_64)",
                        "[aarch64] Hello from an image built by Strata", "[aarch64] (uname -m: aarch64)");
    }

    @Test
    void aConfiguredRegistryNeedsAConfiguredBaseImage() throws Exception {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nstrata_home = " + home.resolve("strata") + "\nregistry_uri = http://127.0.0.1:1/v2\n");
        TestCli.Run run = TestCli.in(home).run("demo", "--config", config.toString(), "--example", Path.of("../examples/hello-strata").toString());
        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).contains("[DEMO_BASE_IMAGE_MISSING]", "strata_demo_base_image").doesNotContain("warning");
    }

    @Test
    void aMissingExampleIsExplained() throws Exception {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nstrata_home = " + home.resolve("strata") + "\n");
        TestCli.Run run = TestCli.in(home).run("demo", "--config", config.toString(), "--example", home.resolve("nothing-here").toString());
        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).contains("[DEMO_EXAMPLE_MISSING]", "--example DIR");
    }
}
