package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.daemon.BuildDaemons;
import io.strata.testkit.ChildEnvironment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher names a build daemon's socket (scripts/lib/build-daemon.sh): in the directory
 * {@link BuildDaemons#directory} names, after everything a command would see differently in another shell,
 * and after nothing that changes by itself from one command to the next.
 */
class LauncherDaemonSocketTest {
    @TempDir
    Path home;

    private String socket(ChildEnvironment environment, String directory) throws Exception {
        return LauncherShell.run(environment, ". scripts/lib/build-daemon.sh; cd \"$1\"; "
                + "JAVA_HOME=/jdk STRATA_JDK_RUNTIME='25 25.0.3'; strata_daemon_socket; echo \"$REPLY\"", directory).out();
    }

    @Test
    void theSocketLivesWhereTheDaemonLooksForIt() throws Exception {
        ChildEnvironment plain = ChildEnvironment.of(home);
        String inHome = socket(plain, "/tmp");
        Path expectedHome = BuildDaemons.directory(new StrataEnvironment(Map.of(), Path.of("/none"), home));
        assertThat(Path.of(inHome).getParent()).isEqualTo(expectedHome);
        assertThat(inHome).matches(".*/[0-9a-f]{24}\\.sock");

        ChildEnvironment withRuntime = plain.with("XDG_RUNTIME_DIR", home.resolve("run").toString());
        Path expectedRuntime = BuildDaemons.directory(
                new StrataEnvironment(Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString()), Path.of("/none"), home));
        assertThat(Path.of(socket(withRuntime, "/tmp")).getParent()).isEqualTo(expectedRuntime);
    }

    @Test
    void anotherEnvironmentOrDirectoryGetsADaemonOfItsOwnAndShellNoiseDoesNot() throws Exception {
        ChildEnvironment plain = ChildEnvironment.of(home);
        String base = socket(plain, "/tmp");
        assertThat(socket(plain, "/tmp")).as("the same shell again").isEqualTo(base);
        assertThat(socket(plain.with("OLDPWD", "/somewhere").with("SHLVL", "7").with("COLUMNS", "80"), "/tmp"))
                .as("what every shell changes by itself").isEqualTo(base);
        assertThat(socket(plain, "/")).as("another directory").isNotEqualTo(base);
        assertThat(socket(plain.with("REGISTRY_AUTH_FILE", "/other/auth.json"), "/tmp")).as("other credentials")
                .isNotEqualTo(base);
        assertThat(socket(plain.with("STRATA_HOME", "/other/home"), "/tmp")).as("another store").isNotEqualTo(base);
    }

    @Test
    void strataDaemonOffTurnsTheDaemonOff() throws Exception {
        ChildEnvironment plain = ChildEnvironment.of(home);
        String check = ". scripts/lib/build-daemon.sh; if strata_daemon_wanted; then echo on; else echo off; fi";
        assertThat(LauncherShell.run(plain, check).out()).isEqualTo("on");
        for (String off : new String[] {"off", "0", "false", "no"}) {
            assertThat(LauncherShell.run(plain.with("STRATA_DAEMON", off), check).out()).as(off).isEqualTo("off");
        }
    }
}
