package io.strata.cli.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.kube.worker.WorkerOrder;
import io.strata.kube.worker.WorkerPodContract;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.RefusingPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata worker --result-file} outside a cluster, with the environment a worker pod gets:
 * the packaged CLI runs the worker's steps and writes the result document to the file. The git
 * repository it is given does not exist, so the build fails in its first step: the result says so
 * with the step's reason code, the credentials of the mounted secret never show in it or the log.
 */
class WorkerCommandIT {
    @TempDir
    Path dir;

    @Test
    void aWorkerRunByHandWritesItsResultDocumentToTheFile() throws Exception {
        Path result = dir.resolve("result.json");
        TestCli.Run run = runWorker(result, environment -> environment.with("STRATA_WORKER_STORAGE", dir.resolve("storage").toString()));

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode document = new ObjectMapper().readTree(Files.readString(result));
        assertThat(document.path("state").asText()).isEqualTo("FAILED");
        assertThat(document.path("failure").path("reason").asText()).startsWith("GIT_");
        assertThat(document.path("steps").get(0).path("timing").path("step").asText()).isEqualTo("check_out_source");
        assertThat(document.path("failure").path("message").asText()).contains("no-such-repo");
        assertThat(Files.readString(result) + run.out() + run.err()).doesNotContain("s3cret-token");
    }

    /** Without a storage directory named, the worker makes one in the temporary directory and removes it at the end. */
    @Test
    void aWorkerWithoutNamedStorageLeavesNothingInTheTemporaryDirectory() throws Exception {
        Path temporary = Files.createDirectories(dir.resolve("tmp"));
        Path result = dir.resolve("result.json");
        TestCli.Run run = runWorker(result, environment -> environment.with("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temporary));

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(Files.readString(result)).path("state").asText()).isEqualTo("FAILED");
        try (var left = Files.list(temporary)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("left in the temporary directory").isEmpty();
        }
    }

    /** Runs a worker by hand whose build fails at the checkout (the repository does not exist). */
    private TestCli.Run runWorker(Path result, java.util.function.UnaryOperator<ChildEnvironment> storage) throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path missingRepo = dir.resolve("no-such-repo");
        Files.writeString(secrets.resolve(WorkerPodContract.CREDENTIALS_FILE),
                "{\"git_uri\":\"file://user:s3cret-token@localhost" + missingRepo + "\",\"yum_repourls\":[]}");
        var request = io.strata.core.request.BuildRequest.builder().component("by-hand").gitUri("file://localhost" + missingRepo)
                .gitRef("0123456789abcdef0123456789abcdef01234567").target("candidate").build();
        var config = io.strata.core.config.ConfigLoader.load(new io.strata.core.config.ConfigSource(java.util.Optional.empty(),
                java.util.Optional.empty(), Map.of("registry_uri", "http://127.0.0.1:1/v2"), Map.of(), dir.resolve("none.conf"), dir)).config();
        String plan = io.strata.local.worker.LocalBuildService.prepare(new io.strata.core.service.BuildSubmission(request,
                java.util.Optional.empty()), config).plan().toJson();
        try (RefusingPort registry = RefusingPort.open()) {
            String order = new WorkerOrder("20261122-004512-3f9a1c", "x86_64", 1, 0, "none", plan,
                    Map.of("registry_uri", "http://127.0.0.1:" + registry.port() + "/v2")).toJson();
            ChildEnvironment environment = ChildEnvironment.of(Files.createDirectories(dir.resolve("home")))
                    .with(WorkerPodContract.USER_PARAMS, "{\"component\":\"by-hand\",\"git_uri\":\"file://localhost" + missingRepo
                            + "\",\"git_ref\":\"0123456789abcdef0123456789abcdef01234567\",\"koji_target\":\"candidate\"}")
                    .with(WorkerPodContract.STRATA_WORKER, order)
                    .with(WorkerPodContract.SECRETS, secrets.toString());
            return PackagedCli.run(storage.apply(environment), "worker", "--result-file", result.toString());
        }
    }
}
