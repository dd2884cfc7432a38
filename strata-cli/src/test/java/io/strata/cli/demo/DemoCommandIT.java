package io.strata.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = CliRunner.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "demo", "--config", config.toString(), "--example", Path.of("../examples/hello-strata").toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).contains("throwaway registry", "busybox base image", "[9/9] export_koji_metadata", "COMPLETE");
        assertThat(out.toString()).containsPattern("Built 127\\.0\\.0\\.1:\\d+/strata-demo/hello@sha256:[0-9a-f]{64}")
                .contains("tags:   build-", "1.0-1", "version=1.0 release=1", "./strata get-build ")
                .contains("Running it", "Hello from an image built by Strata", "component: built");
        var list = new StringWriter();
        CliRunner.run(new PrintWriter(list, true), new PrintWriter(new StringWriter(), true), "list-builds", "--config", config.toString());
        assertThat(list.toString()).contains("hello-strata", "COMPLETE");
    }

    @Test
    void aConfiguredRegistryNeedsAConfiguredBaseImage() throws Exception {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nstrata_home = " + home.resolve("strata") + "\nregistry_uri = http://127.0.0.1:1/v2\n");
        var err = new StringWriter();
        int exit = CliRunner.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "demo", "--config", config.toString(), "--example", Path.of("../examples/hello-strata").toString());
        assertThat(exit).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(err.toString()).contains("[DEMO_BASE_IMAGE_MISSING]", "strata_demo_base_image").doesNotContain("warning");
    }

    @Test
    void aMissingExampleIsExplained() throws Exception {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nstrata_home = " + home.resolve("strata") + "\n");
        var err = new StringWriter();
        int exit = CliRunner.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "demo", "--config", config.toString(), "--example", home.resolve("nothing-here").toString());
        assertThat(exit).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(err.toString()).contains("[DEMO_EXAMPLE_MISSING]", "--example DIR");
    }
}
