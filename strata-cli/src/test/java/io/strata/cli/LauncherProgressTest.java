package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.strata.testkit.ChildEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The launcher's first build shows progress (one line per Maven module) instead of a single
 * "building..." line for a minute: scripts/lib/build-progress.sh turns Maven's output into those lines.
 */
class LauncherProgressTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void mavenModuleLinesBecomeShortProgressLines() throws Exception {
        String maven = """
                [INFO] Scanning for projects...
                [INFO] Reactor Build Order:
                [INFO] Building Strata 0.1.0-SNAPSHOT                                     [1/7]
                [INFO] --- compiler:3.14.1:compile (default-compile) @ strata-core ---
                [INFO] Building Strata core: domain, configuration, plans, steps, engine and store interfaces 0.1.0-SNAPSHOT [3/7]
                [INFO] Building jar: /work/strata-core/target/strata-core-0.1.0-SNAPSHOT.jar
                [INFO] Building Strata command line: the strata command and its distribution 0.1.0-SNAPSHOT [7/7]
                [INFO] BUILD SUCCESS
                """;
        Process bash = ChildEnvironment.of(ROOT).processBuilder(List.of("bash", "-c", ". scripts/lib/build-progress.sh; strata_build_progress"))
                .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        bash.getOutputStream().write(maven.getBytes(StandardCharsets.UTF_8));
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).isZero();
        assertThat(out).isEqualTo("""
                strata: building the command line: 1/7 Strata ...
                strata: building the command line: 3/7 Strata core ...
                strata: building the command line: 7/7 Strata command line ...
                """);
    }

    @Test
    void theLauncherPipesItsBuildThroughTheProgressFilter() throws Exception {
        String launcher = Files.readString(ROOT.resolve("strata"));

        assertThat(launcher).contains(". \"$here/scripts/lib/build-progress.sh\"")
                .containsPattern("mvnw[^\\n]*package[^\\n]*\\| tee \"\\$build_log\" \\| strata_build_progress")
                .doesNotContain("mvnw -q");
    }
}
