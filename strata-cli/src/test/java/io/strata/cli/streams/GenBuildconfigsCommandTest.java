package io.strata.cli.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.openshift.api.model.BuildConfig;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenBuildconfigsCommandTest {

    @TempDir
    Path dir;

    /** The result of one in-process run of the strata command. */
    private record Run(int exitCode, String out, String err) {}

    private Run strata(String... args) {
        TestCli.Run run = TestCli.in(dir).run(args);
        return new Run(run.exit(), run.out(), run.err());
    }

    static Path exampleGroup() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isDirectory(here.resolve("examples/streams-group"))) {
            here = here.getParent();
        }
        return here.resolve("examples/streams-group");
    }

    @Test
    void writesTheExampleGroupAsReviewed() throws Exception {
        Path output = dir.resolve("out.yaml");

        Run run = strata("streams", "gen-buildconfigs", "--group-dir", exampleGroup().toString(), "-o", output.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("wrote 6 BuildConfigs and 1 DaemonSet to " + output + "\n");
        assertThat(Files.readString(output))
                .isEqualTo(Files.readString(exampleGroup().resolve("expected/gen-buildconfigs.yaml")));
    }

    @Test
    void namedStreamsGetNoDaemonSet() throws Exception {
        Path output = dir.resolve("out.yaml");

        Run run = strata("streams", "gen-buildconfigs", "--group-dir", exampleGroup().toString(), "-o", output.toString(),
                "golang", "etcd");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("wrote 1 BuildConfig to " + output + "\n");
        assertThat(Files.readString(output)).contains("name: builder-rhel-8-golang-1.15-openshift-4.6--art-builder")
                .doesNotContain("kind: DaemonSet");
    }

    @Test
    void unknownStreamFailsAndLeavesTheOutputFileAlone() throws Exception {
        Path output = dir.resolve("out.yaml");
        Files.writeString(output, "previous content\n");

        Run run = strata("streams", "gen-buildconfigs", "--group-dir", exampleGroup().toString(), "-o", output.toString(),
                "golang", "golnag");

        assertThat(run.exitCode()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).isEqualTo("strata: stream golnag is not defined in " + exampleGroup().resolve("streams.yml")
                + " [STREAM_NOT_FOUND]\n  fix: use one of: rhel-8-base, rhel-7-base, golang, rhel-7-golang,"
                + " rhel-8-build-root, rhel-7-build-root, etcd\n");
        assertThat(Files.readString(output)).isEqualTo("previous content\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(output);
        }
    }

    @Test
    void missingGroupDirectoryNamesTheFile() {
        Path missing = dir.resolve("no-such-group");

        Run run = strata("streams", "gen-buildconfigs", "--group-dir", missing.toString(), "-o", dir.resolve("o").toString());

        assertThat(run.exitCode()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).startsWith("strata: group file " + missing.resolve("group.yml") + " does not exist"
                + " [GROUP_FILE_MISSING]\n  fix: ");
        assertThat(Files.exists(dir.resolve("o"))).isFalse();
    }

    @Test
    void usageMistakesExitWithTwo() {
        List<Run> runs = List.of(
                strata("streams", "gen-buildconfigs"),
                strata("streams", "gen-buildconfigs", "--group-dir", exampleGroup().toString(), "--as", "someone"));

        assertThat(runs).extracting(Run::exitCode).containsOnly(CliRunner.EXIT_USAGE);
        assertThat(runs.get(0).err()).startsWith("strata: Missing required option: '--group-dir=DIR'");
        assertThat(runs.get(1).err()).startsWith("strata: --as only makes sense with --apply");
    }

    @Test
    void appliesTwiceToTheClusterOfTheKubeconfigAsTheGivenUser() throws Exception {
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            Path kubeconfig = writeKubeconfig(client.getMasterUrl().toString());
            String[] args = {"streams", "gen-buildconfigs", "--group-dir", exampleGroup().toString(),
                "-o", dir.resolve("out.yaml").toString(), "--apply", "--kubeconfig", kubeconfig.toString(),
                "--as", "system:serviceaccount:ci:art-publish"};

            Run first = strata(args);
            Run second = strata(args);

            assertThat(first.exitCode()).isZero();
            assertThat(second.exitCode()).isZero();
            assertThat(first.err().lines()).first().isEqualTo("applying 6 BuildConfigs and 1 DaemonSet to "
                    + client.getMasterUrl() + " as system:serviceaccount:ci:art-publish");
            assertThat(first.err()).contains("  created BuildConfig ci/builder-rhel-8-base-openshift-4.6--art-builder\n",
                    "  created DaemonSet ci/art-managed-openshift-4.6-dont-gc-me-bro\n", "applied 7 objects\n");
            assertThat(second.err()).contains("  updated BuildConfig ci/builder-rhel-8-base-openshift-4.6--art-builder\n",
                    "  updated DaemonSet ci/art-managed-openshift-4.6-dont-gc-me-bro\n");
            assertThat(server.getLastRequest().getHeader("Impersonate-User")).isEqualTo("system:serviceaccount:ci:art-publish");
            assertThat(first.err() + first.out()).doesNotContain("not-a-real-token");
            assertThat(client.resources(BuildConfig.class).inNamespace("ci").withLabel("art-builder-group", "openshift-4.6")
                    .list().getItems()).hasSize(6);
            DaemonSet ds = client.apps().daemonSets().inNamespace("ci")
                    .withName("art-managed-openshift-4.6-dont-gc-me-bro").get();
            assertThat(ds.getSpec().getTemplate().getSpec().getContainers()).hasSize(6);
        } finally {
            server.destroy();
        }
    }

    private Path writeKubeconfig(String serverUrl) throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: %s
                users:
                  - name: tester
                    user:
                      token: not-a-real-token
                contexts:
                  - name: mock
                    context:
                      cluster: mock
                      user: tester
                current-context: mock
                """.formatted(serverUrl));
        return file;
    }
}
