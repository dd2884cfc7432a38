package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** Which runs may train the launcher's start-up cache, and how a run vouches for its recording. */
class StartUpTrainingTest {
    @TempDir
    Path home;

    @Test
    void aCommandThatRanAndSucceededTrainsTheCache() {
        assertThat(StartUpTraining.trains("records", 0, false, parsed("list-builds", "--limit", "1"))).isTrue();
        assertThat(StartUpTraining.trains("records", 0, false, parsed("dockerfile", "inspect", "Dockerfile"))).as("a nested command").isTrue();
    }

    @Test
    void helpAVersionAFailureOrAShortcutDoesNot() {
        assertThat(StartUpTraining.trains("records", 0, false, parsed("list-builds", "--help"))).as("a command's usage").isFalse();
        assertThat(StartUpTraining.trains("records", 0, false, parsed("dockerfile", "inspect", "--help"))).as("a nested one's").isFalse();
        assertThat(StartUpTraining.trains("records", 0, false, parsed("--version"))).isFalse();
        assertThat(StartUpTraining.trains("records", 0, false, parsed("help", "build"))).isFalse();
        assertThat(StartUpTraining.trains("records", 0, false, parsed())).as("the bare root prints usage").isFalse();
        assertThat(StartUpTraining.trains("records", 1, false, parsed("list-builds"))).as("a failed command").isFalse();
        assertThat(StartUpTraining.trains("records", 0, true, parsed("list-builds"))).as("a reused build").isFalse();
        assertThat(StartUpTraining.trains("records", 0, false, null)).as("a command line picocli refused").isFalse();
    }

    @Test
    void anySuccessfulCommandOfTheCatchAllKindTrainsItsCacheButNoFailedOne() {
        assertThat(StartUpTraining.trains("cli", 0, false, parsed("--version"))).isTrue();
        assertThat(StartUpTraining.trains("cli", 0, false, parsed("dockerfile", "inspect", "--help"))).isTrue();
        assertThat(StartUpTraining.trains("cli", 2, false, parsed("dockerfile", "inspect", "Dockerfile"))).isFalse();
        assertThat(StartUpTraining.trains("cli", 0, false, null)).isFalse();
    }

    @Test
    void vouchingWritesTheMarkerTheLauncherLooksForOnceAndOnlyForARecording() throws Exception {
        Path recording = home.resolve("strata-build-1.aot.42.config");
        StartUpTraining.vouch(Optional.of(recording));
        StartUpTraining.vouch(Optional.of(recording));
        assertThat(home.resolve("strata-build-1.aot.42.config.ok")).exists();
        StartUpTraining.vouch(Optional.empty());
        try (var files = Files.list(home)) {
            assertThat(files).hasSize(1);
        }
    }

    private ParseResult parsed(String... args) {
        return CliRunner.commandLine(TestCli.in(home).environment(), args).parseArgs(args);
    }
}
