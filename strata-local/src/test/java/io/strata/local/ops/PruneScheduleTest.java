package io.strata.local.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.config.StrataSettings;
import io.strata.core.request.BuildRequest;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's scheduled prune: its settings from the configuration, and a schedule that prunes and says so. */
class PruneScheduleTest {
    @TempDir
    Path home;

    private Configuration config(Map<String, String> variables) throws Exception {
        return ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), variables,
                home.resolve("no-osbs.conf"), home)).config();
    }

    @Test
    void settingsComeFromTheConfigurationWithDefaultsAndZeroTurnsItOff() throws Exception {
        PruneSchedule.Settings defaults = PruneSchedule.Settings.from(config(Map.of()));
        assertThat(defaults.interval()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.keep()).isEqualTo(Duration.ofHours(720));
        PruneSchedule.Settings off = PruneSchedule.Settings.from(config(Map.of("STRATA_PRUNE_INTERVAL", "0",
                "STRATA_PRUNE_KEEP", "30d")));
        assertThat(off.interval()).isZero();
        assertThat(off.keep()).isEqualTo(Duration.ofDays(30));
        assertThat(PruneSchedule.start(null, off, System.err)).isEmpty();

        StrataException bad = catchThrowableOfType(StrataException.class,
                () -> PruneSchedule.Settings.from(config(Map.of("STRATA_PRUNE_KEEP", "a month"))));
        assertThat(bad.reason()).isEqualTo("DURATION_INVALID");
        assertThat(bad.getMessage()).isEqualTo("strata_prune_keep 'a month' is not a duration");
        assertThat(bad.hint()).contains("720h");
    }

    @Test
    void theSchedulePrunesFinishedBuildsAndLogsWhatItFreed() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (JdbcBuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty())) {
            BuildId done = store.create(BuildRequest.builder().component("hello").gitUri("https://git.example.com/h.git")
                    .gitRef("main").platforms(List.of("x86_64")).build(), Map.of(), "{}").id();
            store.transition(done, BuildState.CANCELLED, Optional.empty());
            BuildPruner pruner = new BuildPruner(store, home, Optional.empty(), Clock.offset(Clock.systemUTC(),
                    Duration.ofMinutes(1)), out);

            try (PruneSchedule schedule = PruneSchedule.start(pruner, new PruneSchedule.Settings(Duration.ofMillis(50),
                    Duration.ZERO), out).orElseThrow()) {
                while (store.find(done).isPresent()) {
                    Thread.sleep(20);
                }
            }
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("strata serve: pruned builds finished before ")
                    .contains(": 1 records");
        }
    }
}
