package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.ChildEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which start-up cache the launcher gives a command (scripts/lib/command-kind.sh): one per kind, and
 * a build or record command handed to a build service its own, since it loads the service client's
 * classes instead of the engine's (and the launcher checks no build tools for it).
 */
class LauncherCommandKindTest {
    @Test
    void eachKindOfCommandHasItsOwnCacheAndOneHandedToAServiceAnother() throws Exception {
        ChildEnvironment plain = ChildEnvironment.of(LauncherProgressTest.ROOT);

        assertThat(kind(plain, "--version")).isEqualTo("cli");
        assertThat(kind(plain, "build", "--component", "c")).isEqualTo("build");
        assertThat(kind(plain, "--config", "osbs.conf", "build")).isEqualTo("build");
        assertThat(kind(plain, "serve", "--listen", "127.0.0.1:0")).isEqualTo("serve");
        assertThat(kind(plain, "list-builds", "--limit", "1")).isEqualTo("records");
        assertThat(kind(plain, "daemon", "run", "--socket", "/run/user/0/strata/daemons/x.sock")).isEqualTo("daemon");
        assertThat(kind(plain, "daemon", "status")).as("a short command: no cache of the daemon's").isEqualTo("cli");
        assertThat(kind(plain, "daemon", "stop")).isEqualTo("cli");
        assertThat(kind(plain, "build", "--component", "daemon")).as("the first word that names a kind").isEqualTo("build");
        assertThat(kind(plain, "build", "--server", "http://127.0.0.1:8240")).isEqualTo("build-remote");
        assertThat(kind(plain, "get-build", "--server=http://127.0.0.1:8240", "20261202-000000-0a0b0c"))
                .isEqualTo("records-remote");
        assertThat(kind(plain.with("STRATA_SERVER", "http://127.0.0.1:8240"), "build")).isEqualTo("build-remote");
        assertThat(kind(plain.with("STRATA_SERVER", "http://127.0.0.1:8240"), "--version")).as("not a build").isEqualTo("cli");
        assertThat(kind(plain.with("STRATA_SERVER", ""), "build")).as("an empty variable names no server").isEqualTo("build");
    }

    @Test
    void aCommandLineAskingForUsageIsToldFromOneThatRunsACommand() throws Exception {
        ChildEnvironment plain = ChildEnvironment.of(LauncherProgressTest.ROOT);
        for (List<String> usage : List.of(List.of("build", "--help"), List.of("build", "-h"), List.of("--version"),
                List.of("help", "build"), List.of("list-builds", "--limit", "1", "-V"))) {
            assertThat(asksForUsage(plain, usage.toArray(String[]::new))).as(usage.toString()).isTrue();
        }
        for (List<String> command : List.of(List.of("build", "--component", "c"), List.of("list-builds"),
                List.of("build", "--build-arg", "help"), List.of("dockerfile", "inspect", "--", "--help"))) {
            assertThat(asksForUsage(plain, command.toArray(String[]::new))).as(command.toString()).isFalse();
        }
    }

    private static boolean asksForUsage(ChildEnvironment environment, String... args) throws Exception {
        return LauncherShell.run(environment, ". scripts/lib/command-kind.sh; strata_asks_for_usage \"$@\"", args).exit() == 0;
    }

    private static String kind(ChildEnvironment environment, String... args) throws Exception {
        LauncherShell.Result result = LauncherShell.run(environment,
                ". scripts/lib/command-kind.sh; strata_command_kind \"$@\"; echo \"$REPLY\"", args);
        assertThat(result.exit()).isZero();
        return result.out();
    }
}
