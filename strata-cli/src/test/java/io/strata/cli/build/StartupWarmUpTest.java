package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.TestCli;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warm-up reaches what it names by reflection: a library update that renamed one would make it a silent
 * no-op, so each part must succeed here, where the libraries are on the class path as in the distribution.
 */
class StartupWarmUpTest {
    @Test
    void everyPartOfTheWarmUpFindsWhatItWarms() {
        assertThat(StartupWarmUp.run()).containsExactly("tls", "sqlite", "git");
    }

    @Test
    void onlyABuildInThisProcessIsWarmedUp() {
        var plain = TestCli.in(Path.of("target")).environment();
        var served = TestCli.with(Path.of("target"), Map.of("STRATA_SERVER", "http://127.0.0.1:1")).environment();

        assertThat(StartupWarmUp.wanted(plain, "build", "--git-uri", "x")).isTrue();
        assertThat(StartupWarmUp.wanted(plain, "demo")).isTrue();
        assertThat(StartupWarmUp.wanted(plain, "list-builds")).isFalse();
        assertThat(StartupWarmUp.wanted(plain)).isFalse();
        assertThat(StartupWarmUp.wanted(plain, "build", "--server", "http://127.0.0.1:1")).isFalse();
        assertThat(StartupWarmUp.wanted(plain, "build", "--server=http://127.0.0.1:1")).isFalse();
        assertThat(StartupWarmUp.wanted(served, "build")).isFalse();
    }
}
