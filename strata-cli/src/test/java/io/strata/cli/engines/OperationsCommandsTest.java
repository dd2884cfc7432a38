package io.strata.cli.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata engines} and {@code strata prune-builds} on this machine's store (dry-run engine):
 * the table, drain and undrain shown in it, an unknown name refused with the known ones in the
 * hint, and a prune that reports what it freed and keeps what is younger.
 */
class OperationsCommandsTest {
    private static final Pattern BUILD_ID = Pattern.compile("build (\\d{8}-\\d{6}-[0-9a-f]{6}): RUNNING");

    @TempDir
    Path dir;

    /** The CLI in-process, on a store under the test's directory, with the dry-run engine. */
    TestCli.Run strata(String... args) {
        return TestCli.with(dir, Map.of("STRATA_HOME", dir.resolve("home").toString(), "STRATA_ENGINE", "dry-run",
                "STRATA_DRY_RUN_DELAY", "0ms")).run(args);
    }

    private String build() throws Exception {
        TestCli.Run build = strata("build", "--component", "hello", "--git-uri", "https://git.example.com/hello.git",
                "--git-ref", "main");
        assertThat(build.exit()).as(build.err()).isZero();
        Matcher id = BUILD_ID.matcher(build.err());
        assertThat(id.find()).as(build.err()).isTrue();
        return id.group(1);
    }

    @Test
    void enginesAreListedDrainedAndUndrained() throws Exception {
        TestCli.Run list = strata("engines", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("NAME", "PLATFORMS", "CONCURRENCY", "RUNNING", "QUEUED", "DRAINED")
                .containsPattern("dry-run\\s+engine\\s+\\S+\\s+2\\s+0\\s+0\\s+no");

        TestCli.Run drain = strata("engines", "drain", "dry-run");
        assertThat(drain.exit()).as(drain.err()).isZero();
        assertThat(drain.out()).startsWith("engine dry-run drained: 0 running builds finish, 0 queued wait");
        assertThat(strata("engines", "list").out()).containsPattern("dry-run\\s+engine.*yes \\(");
        assertThat(strata("engines", "list", "--json").out()).contains("\"drained\" : true");

        TestCli.Run undrain = strata("engines", "undrain", "dry-run");
        assertThat(undrain.exit()).as(undrain.err()).isZero();
        assertThat(strata("engines", "list").out()).containsPattern("dry-run\\s+engine.*no");
    }

    @Test
    void anUnknownEngineIsOneMessageNamingTheKnownOnes() throws Exception {
        TestCli.Run unknown = strata("engines", "drain", "warp-drive");
        assertThat(unknown.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(unknown.err()).contains("'warp-drive' is neither an engine nor a platform", "[ENGINE_UNKNOWN]",
                "fix:", "dry-run").doesNotContain("\tat ");
        assertThat(unknown.out()).isEmpty();
    }

    @Test
    void pruneReportsWhatItFreedAndKeepsYoungerBuilds() throws Exception {
        String first = build();
        String second = build();
        Path secrets = Files.createDirectories(dir.resolve("home/secrets"));
        Files.writeString(secrets.resolve(first + ".json"), "{}");

        TestCli.Run kept = strata("prune-builds", "--keep-younger-than", "720h");
        assertThat(kept.exit()).as(kept.err()).isZero();
        assertThat(kept.out()).contains(": 0 records").contains("0 B freed");
        assertThat(strata("list-builds").out()).contains(first, second);

        TestCli.Run pruned = strata("prune-builds", "--keep-younger-than", "0s");
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        assertThat(pruned.out()).containsPattern("pruned builds finished before \\S+: 2 records \\(\\d+ log lines, \\d+")
                .contains("1 secrets (2 B)").contains("0 images").contains("freed");
        assertThat(strata("list-builds").out()).doesNotContain(first).doesNotContain(second);
        assertThat(secrets.resolve(first + ".json")).doesNotExist();

        TestCli.Run json = strata("prune-builds", "--keep-younger-than", "0s", "--json");
        assertThat(json.out()).contains("\"builds\" : 0");
    }

    @Test
    void aMalformedDurationIsBadUsage() throws Exception {
        TestCli.Run bad = strata("prune-builds", "--keep-younger-than", "a month");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--keep-younger-than 'a month' is not a duration", "720h", "[INVALID_USAGE]")
                .doesNotContain("\tat ");
    }
}
