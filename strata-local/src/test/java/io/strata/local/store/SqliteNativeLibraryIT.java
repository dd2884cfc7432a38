package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.config.StrataSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVMs of Strata started with {@code java} directly (not through the launcher) and killed while their store is open
 * leave nothing in their temporary directory but the one library they share: the driver's own way left a copy and
 * a lock file per JVM there, for ever.
 */
class SqliteNativeLibraryIT {
    @TempDir
    Path temporary;

    @TempDir
    Path strataHome;

    @Test
    void killedJvmsLeaveOneSharedLibraryAndNoCopies() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        for (int i = 0; i < 2; i++) {
            Process writer = startWriter(url, "killed-" + i);
            try (var out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).as("a first build written (store open)").isNotNull();
            } finally {
                writer.destroyForcibly();
                assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }

        try (var names = Files.list(temporary)) {
            assertThat(names.map(path -> path.getFileName().toString()).toList())
                    .containsExactly("strata-sqlite-" + System.getProperty("user.name"));
        }
        try (var files = Files.walk(temporary)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("one library for both JVMs").hasSize(1);
        }
    }

    private Process startWriter(String url, String component) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:-UsePerfData", "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"),
                StoreWriterProcess.class.getName(), url, component, "loop"));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
