package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.ChildEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer's shell with STRATA_HOME, STRATA_CONFIG and KUBECONFIG set must not reach the tests:
 * the packaged CLI runs as a process through the same helper every process-starting test uses,
 * with decoys in its parent's environment, and the decoys stay exactly as they were. A control
 * run that is handed the decoy on purpose shows that the CLI would indeed have used it.
 */
class HermeticEnvironmentIT {
    @TempDir
    Path dir;

    @Test
    void decoysInTheParentEnvironmentAreNeverTouched() throws Exception {
        Path decoy = Files.createDirectories(dir.resolve("users-own"));
        Path decoyHome = Files.createDirectories(decoy.resolve("strata-home"));
        Path decoyConfig = Files.writeString(decoy.resolve("osbs.conf"),
                "[default]\nstrata_home = " + decoy.resolve("configured-home") + "\n");
        Path decoyKubeconfig = Files.writeString(decoy.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        Map<String, String> shell = new HashMap<>(System.getenv());
        shell.put("STRATA_HOME", decoyHome.toString());
        shell.put("STRATA_CONFIG", decoyConfig.toString());
        shell.put("STRATA_STORE_URL", "jdbc:h2:" + decoy.resolve("store/strata"));
        shell.put("KUBECONFIG", decoyKubeconfig.toString());
        Map<String, String> before = snapshot(decoy);
        Path home = Files.createDirectories(dir.resolve("test-home"));

        TestCli.Run list = StrataProcess.run(ChildEnvironment.from(shell, home), "list-builds");

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("no builds yet");
        assertThat(snapshot(decoy)).as("the user's own Strata state").isEqualTo(before);
        assertThat(home.resolve(".local/share/strata")).as("the test's own default home was used").isDirectory();

        // Control: the same command handed the decoy on purpose does use it, so the check above can fail.
        TestCli.Run control = StrataProcess.run(ChildEnvironment.from(shell, home).with("STRATA_HOME", decoyHome.toString()),
                "list-builds");
        assertThat(control.exit()).as(control.err()).isZero();
        assertThat(snapshot(decoy)).isNotEqualTo(before);
    }

    /** Every file and directory under {@code root} with its size and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                entries.put(root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p));
            }
        }
        return entries;
    }
}
