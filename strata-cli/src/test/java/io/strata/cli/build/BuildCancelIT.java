package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.ProcessTable;
import io.strata.testkit.RegistryFixture;
import io.strata.testkit.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during `strata build`, for real: the packaged CLI runs as its own process, gets SIGINT
 * while buildah runs a long RUN step, and must end with buildah stopped, the record CANCELLED and
 * the workspace removed.
 */
class BuildCancelIT {
    /** An unusual duration, so the test can tell its own sleep apart from anything else on the machine. */
    static final String MARKER_SLEEP = "sleep 4173";

    @TempDir
    Path home;

    @Test
    void ctrlCCancelsCleanly() throws Exception {
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"))) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            repo.write("Dockerfile", "FROM " + registry.reference("base/busybox:1") + "\n"
                    + "LABEL name=cancel/me version=1\nRUN " + MARKER_SLEEP + "\n");
            String commit = repo.commit("slow");
            Path config = home.resolve("osbs.conf");
            Files.writeString(config, "[default]\nregistry_uri = http://" + registry.host() + "/v2\nstrata_home = "
                    + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n");

            ProcessBuilder command = PackagedCli.builder(ChildEnvironment.of(home), "build", "--config", config.toString(),
                    "--component", "cancel-me", "--git-uri", repo.uri().toString(), "--git-ref", commit, "--follow")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // As a terminal gives it: a test run started in the background of a script (`./run-tests &`) inherits
            // SIGINT ignored, the JVM then keeps it ignored, and the Ctrl-C below never arrived (CI47 here).
            // env execs the JVM in its place, so the pid is the JVM's.
            command.command().addAll(0, List.of("env", "--default-signal=INT"));
            Process strata = command.start();
            StderrLines stderr = StderrLines.follow(strata, "RUN " + MARKER_SLEEP);
            stderr.seen().get(120, TimeUnit.SECONDS);
            awaitSleepRunning();

            Signals.send("INT", strata.pid());
            assertThat(strata.waitFor(90, TimeUnit.SECONDS)).as(stderr.toString()).isTrue();
            assertThat(strata.exitValue()).as("a cancelled build has its own exit code").isEqualTo(CliRunner.EXIT_CANCELLED);

            assertThat(stderr.lines()).anyMatch(line -> line.contains("CANCELLED"));
            assertThat(sleepsLeft()).isEmpty();
            assertThat(home.resolve("strata/workspaces")).isEmptyDirectory();
            TestCli.Run list = TestCli.in(home).run("list-builds", "--config", config.toString());
            assertThat(list.out()).contains("cancel-me").contains("CANCELLED");
            String id = list.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
            TestCli.Run watched = TestCli.in(home).run("watch-build", "--config", config.toString(), id);
            assertThat(watched.exit()).as("watch-build exits with the build's own code").isEqualTo(CliRunner.EXIT_CANCELLED);
        }
    }

    /** The RUN line is printed just before buildah starts the command; wait until the process exists. */
    private static void awaitSleepRunning() throws InterruptedException {
        for (int i = 0; i < 200 && sleepsLeft().isEmpty(); i++) {
            Thread.sleep(50);
        }
    }

    private static List<Long> sleepsLeft() {
        return ProcessTable.commandLinesContaining(MARKER_SLEEP, "buildah");
    }
}
