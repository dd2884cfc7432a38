package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `strata build` and the record commands end to end, in-process, against a real registry and buildah. */
class BuildCommandIT {
    static RegistryFixture registry;
    static BuildahFixture buildah;
    static String baseImage;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    Path config;
    GitRepoFixture repo;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startRealParts() {
        registry = RegistryFixture.start();
        buildah = BuildahFixture.create();
        buildah.makeBusyboxBaseImage("base/busybox:1", registry);
        baseImage = registry.reference("base/busybox:1");
    }

    @AfterAll
    static void stopRealParts() {
        if (buildah != null) {
            buildah.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void writeConfigAndRepository() throws Exception {
        Path auth = registry.writeAuthFile(home.resolve("auth.json"));
        config = home.resolve("osbs.conf");
        Files.writeString(config, """
                [default]
                registry_uri = http://%s/v2
                vendor = Strata CLI Tests
                strata_home = %s
                strata_registry_auth_file = %s
                strata_buildah_root = %s
                """.formatted(registry.host(), home.resolve("strata"), auth, home.resolve("buildah")));
        repo = GitRepoFixture.create(home.resolve("repo"));
        repo.write("Dockerfile", """
                ARG BASE_IMAGE
                FROM $BASE_IMAGE
                LABEL name="cli/hello" version="3.0"
                RUN echo from-the-cli > /cli.txt
                """);
        repo.commit("initial");
    }

    Run strata(String... args) {
        TestCli.Run run = TestCli.in(home).run(args);
        return new Run(run.exit(), run.out(), run.err());
    }

    Run build(String ref) {
        return strata("build", "--config", config.toString(), "--component", "cli-hello", "--git-uri", repo.uri().toString(),
                "--git-ref", ref, "--git-branch", "main", "--build-arg", "BASE_IMAGE=" + baseImage, "--user", "tester");
    }

    @Test
    void buildPrintsThePullspecAndTheRecordCommandsShowIt() throws Exception {
        java.util.Set<Thread> selectorsBefore = httpSelectorThreads();
        Run run = build(repo.head());
        assertThat(run.exit()).as(run.err()).isZero();
        // An HTTP client left open keeps its selector thread in native code, and at exit the JVM waits up to
        // 300 ms for such threads: every `strata build` paid that while inject_yum_repos kept one for good.
        assertThat(httpSelectorThreads()).as("HTTP clients the build left open").isSubsetOf(selectorsBefore);
        String pullspec = run.out().strip();
        assertThat(pullspec).startsWith(registry.host() + "/cli/hello@sha256:");
        assertThat(run.err()).contains("[6/11] buildah_build", "COMPLETE");
        String digest = pullspec.substring(pullspec.indexOf('@') + 1);
        assertThat(registry.skopeoInspect("cli/hello:3.0-1").path("Digest").asText()).isEqualTo(digest);

        Run list = strata("list-builds", "--config", config.toString(), "--json");
        assertThat(list.exit()).isZero();
        JsonNode builds = JSON.readTree(list.out());
        assertThat(builds).hasSize(1);
        String id = builds.get(0).path("id").asText();
        assertThat(builds.get(0).path("state").asText()).isEqualTo("COMPLETE");

        Run get = strata("get-build", "--config", config.toString(), id, "--json");
        JsonNode record = JSON.readTree(get.out());
        assertThat(record.path("state").asText()).isEqualTo("COMPLETE");
        assertThat(record.path("outputs").get(0).path("digest").asText()).isEqualTo(digest);
        assertThat(record.path("request").path("git_uri").asText()).isEqualTo(repo.uri().toString());
        assertThat(record.path("koji_metadata").asText()).contains("\"metadata_version\" : 0");
        assertThat(get.out()).doesNotContain(registry.password());

        Run text = strata("get-build", "--config", config.toString(), id);
        assertThat(text.out()).contains("state      COMPLETE", "buildah_build", "output     " + pullspec);

        Run logs = strata("build-logs", "--config", config.toString(), id);
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).contains("echo from-the-cli").contains("pinned " + baseImage);
        Run followed = strata("build-logs", "--config", config.toString(), id, "--follow", "--json");
        assertThat(followed.exit()).isZero();
        List<String> lines = followed.out().lines().toList();
        assertThat(lines).hasSameSizeAs(logs.out().lines().toList());
        assertThat(JSON.readTree(lines.get(0)).path("sequence").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(lines.get(lines.size() - 1)).path("sequence").asLong()).isEqualTo(lines.size());
    }

    private static java.util.Set<Thread> httpSelectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** As git takes one: a plain local path is the repository at that path (it was MALFORMED_GIT_URI). */
    @Test
    void aPlainLocalPathIsAcceptedAsTheGitUri() throws Exception {
        Run run = strata("build", "--config", config.toString(), "--component", "cli-hello", "--git-uri", repo.directory().toString(),
                "--git-ref", repo.head(), "--build-arg", "BASE_IMAGE=" + baseImage);

        assertThat(run.exit()).as(run.err()).isZero();
        String id = JSON.readTree(strata("list-builds", "--config", config.toString(), "--json").out()).get(0).path("id").asText();
        JsonNode record = JSON.readTree(strata("get-build", "--config", config.toString(), id, "--json").out());
        assertThat(record.path("request").path("git_uri").asText()).isEqualTo(repo.directory().toUri().toString());
    }

    @Test
    void aFailedBuildExitsNonZeroWithItsReasonAndWhereToLook() {
        Run run = build("no-such-ref");
        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("FAILED", "[GIT_REF_NOT_FOUND]", "no-such-ref", "see: strata build-logs");
        assertThat(home.resolve("strata/workspaces")).isEmptyDirectory();
    }

    @Test
    void anInvalidRequestIsRefusedBeforeAnythingIsStored() {
        Run run = strata("build", "--config", config.toString(), "--component", "x", "--git-ref", "main");
        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).contains("git_uri").containsPattern("\\[[A-Z_]+\\]");
        Run list = strata("list-builds", "--config", config.toString());
        assertThat(list.out()).contains("no builds yet");
    }

    @Test
    void aPlatformWithoutAnArchitectureIsRefusedUpFront() {
        Run run = strata("build", "--config", config.toString(), "--component", "x", "--git-uri", repo.uri().toString(),
                "--git-ref", "main", "--platforms", "x86_64,mips64");
        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).contains("platform 'mips64'", "[UNKNOWN_PLATFORM]", "fix:");
        assertThat(strata("list-builds", "--config", config.toString()).out()).contains("no builds yet");
    }

    @Test
    void aClusterEngineIsRefusedRatherThanBuiltHere() throws Exception {
        Files.writeString(config, Files.readString(config) + "strata_engine = kubernetes\n");
        Run run = build(repo.head());
        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).contains("[ENGINE_NOT_AVAILABLE]", "strata_engine = local");
    }

    @Test
    void recordCommandsExplainABadOrUnknownId() {
        Run bad = strata("get-build", "--config", config.toString(), "nonsense");
        assertThat(bad.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(bad.err()).contains("[BUILD_ID_INVALID]", "strata list-builds");
        Run unknown = strata("build-logs", "--config", config.toString(), "20260101-000000-000000");
        assertThat(unknown.err()).contains("[BUILD_NOT_FOUND]");
    }
}
