package io.strata.cli.worker;

import io.strata.cli.StrataEnvironment;
import io.strata.cli.build.LocalBuilds;
import io.strata.core.StrataException;
import io.strata.core.build.BuildState;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.engine.WorkerResult;
import io.strata.core.io.AtomicFiles;
import io.strata.kube.worker.ClusterReleases;
import io.strata.kube.worker.ResultCollector;
import io.strata.kube.worker.ResultDocument;
import io.strata.kube.worker.ResultPublisher;
import io.strata.kube.worker.WorkerInput;
import io.strata.kube.worker.WorkerPodContract;
import io.strata.kube.engine.ClusterAccess;
import io.strata.local.worker.LocalServices;
import io.strata.worker.buildah.BuildahOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata worker}: the entrypoint of a worker pod (atomic-reactor's role). Reads its build
 * from the pod's environment and mounted secrets ({@link WorkerInput}), runs the same worker steps
 * as the local engine (buildah with chroot isolation, vfs storage under {@code --storage}), pushes,
 * prints its log on stdout and reports its result ({@link ResultDocument}) in the result ConfigMap,
 * or with {@code --result-file} in a file.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run one worker build inside a pod (or by hand with the same environment): reads USER_PARAMS,"
                + " STRATA_WORKER, REACTOR_CONFIG and the mounted secrets, builds with buildah, pushes, and writes the result"
                + " to the ConfigMap strata-result-BUILD (or --result-file).",
                "Exit codes: 0 COMPLETE, 1 FAILED (the reason is in the result), 4 CANCELLED."})
public final class WorkerCommand implements Callable<Integer> {
    /** Where a worker pod's emptyDir is mounted; $STRATA_WORKER_STORAGE, else a temporary directory. */
    static final String STORAGE_VARIABLE = "STRATA_WORKER_STORAGE";

    @Option(names = "--result-file", paramLabel = "PATH", description = "Write the result document here instead of the cluster's ConfigMap.")
    Path resultFile;

    @Option(names = "--storage", paramLabel = "DIR", description = "Directory for buildah's storage and the workspaces (default: $"
            + STORAGE_VARIABLE + ", else a new temporary directory).")
    Path storage;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        StrataEnvironment environment = StrataEnvironment.of(spec);
        WorkerInput input = WorkerInput.read(environment.variables());
        Optional<Path> named = storageNamed(environment);
        Path dir = storageDirectory(named);
        try {
            return run(environment, input, dir);
        } finally {
            if (named.isEmpty()) {
                // A directory of its own in the temporary directory (a worker run by hand): nothing of it is left behind.
                deleteQuietly(dir);
            }
        }
    }

    private Integer run(StrataEnvironment environment, WorkerInput input, Path dir) throws StrataException {
        Map<String, String> settings = new HashMap<>(input.order().config());
        settings.put("strata_home", dir.resolve("home").toString());
        settings.put("strata_buildah_root", dir.resolve("buildah").toString());
        input.registryAuthFile().ifPresent(file -> settings.put("strata_registry_auth_file", file.toString()));
        Configuration config = workerConfiguration(settings, environment);
        Optional<ClusterAccess> cluster = resultFile == null || environment.variable("KUBECONFIG").isPresent()
                || environment.variable("KUBERNETES_SERVICE_HOST").isPresent()
                ? Optional.of(ClusterAccess.forWorker(environment.variables(), environment.userHome()))
                : Optional.empty();
        try {
            var releases = cluster.<io.strata.worker.ReleaseAllocator>map(c -> new ClusterReleases(c.client(), c.namespace()))
                    .orElseGet(UnreservedReleases::new);
            ResultCollector collector = new ResultCollector(System.out);
            WorkerResult result;
            try (LocalServices.WorkerEngine engine = LocalServices.openWorkerEngine(config, BuildahOptions.privateStorage(
                    dir.resolve("buildah/root"), dir.resolve("buildah/runroot")), releases, System.err)) {
                var run = engine.engine().start(input.spec(), collector);
                result = awaitCancellable(run);
            } catch (StrataException e) {
                throw e;
            } catch (Exception e) {
                throw new StrataException("WORKER_CRASHED", "the worker could not close its registry client: " + e.getMessage(), "");
            }
            ResultDocument document = collector.document(result);
            if (resultFile != null) {
                writeResultFile(document);
            } else {
                new ResultPublisher(cluster.orElseThrow().client(), cluster.orElseThrow().namespace()).publish(input.spec().buildId(),
                        environment.variable(WorkerPodContract.POD_NAME).or(() -> environment.variable("HOSTNAME")), document);
            }
            return result.state() == BuildState.COMPLETE ? 0 : result.state() == BuildState.CANCELLED ? 4 : 1;
        } finally {
            cluster.ifPresent(ClusterAccess::close);
        }
    }

    private static WorkerResult awaitCancellable(io.strata.core.engine.EngineRun run) throws StrataException {
        WorkerResult[] result = new WorkerResult[1];
        LocalBuilds.cancellable(() -> {
            try {
                result[0] = run.await();
            } catch (InterruptedException e) {
                // SIGTERM (the pod deleted): stop buildah and wait for the worker to answer CANCELLED.
                run.cancel();
                while (result[0] == null) {
                    try {
                        result[0] = run.await();
                    } catch (InterruptedException again) {
                        run.cancel();
                    }
                }
            }
            return 0;
        });
        return result[0];
    }

    /** The storage directory the command line or the environment names (a pod's emptyDir), if any. */
    private Optional<Path> storageNamed(StrataEnvironment environment) {
        return storage != null ? Optional.of(storage)
                : environment.variable(STORAGE_VARIABLE).filter(s -> !s.isBlank()).map(Path::of);
    }

    private static void deleteQuietly(Path dir) {
        try {
            io.strata.worker.git.Workspace.deleteRecursively(dir);
        } catch (java.io.IOException e) {
            System.err.println("strata worker: could not remove its storage directory " + dir + ": " + e.getMessage());
        }
    }

    private static Path storageDirectory(Optional<Path> named) throws StrataException {
        try {
            Path dir = named.isPresent() ? named.get() : Files.createTempDirectory("strata-worker-");
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new StrataException("WORKSPACE_UNAVAILABLE", "cannot create the worker's storage directory: " + e.getMessage(),
                    "mount a writable emptyDir and name it with --storage DIR or $" + STORAGE_VARIABLE);
        }
    }

    private static Configuration workerConfiguration(Map<String, String> settings, StrataEnvironment environment) throws StrataException {
        try {
            return ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), settings, Map.of(),
                    Path.of("/nonexistent/strata-worker/osbs.conf"), environment.userHome())).config();
        } catch (ConfigException e) {
            throw new StrataException("WORKER_INPUT_INVALID", "STRATA_WORKER's configuration values are not valid: " + e.getMessage(),
                    "the engine copies them from the service's osbs.conf; fix that file");
        }
    }

    private void writeResultFile(ResultDocument document) throws StrataException {
        try {
            AtomicFiles.writeString(resultFile, document.toJson());
        } catch (IOException e) {
            throw new StrataException("WORKER_RESULT_UNWRITABLE", "cannot write the result to " + resultFile + ": " + e.getMessage(),
                    "give --result-file a path in a writable directory");
        }
    }

    /**
     * Releases outside a cluster ({@code --result-file} without a kubeconfig): nothing to reserve them
     * in, so the next is 1 and every explicit one is granted; a debugging run, not a production one.
     */
    private static final class UnreservedReleases implements io.strata.worker.ReleaseAllocator {
        @Override
        public int next(io.strata.core.build.BuildId build, String component, String version) {
            return 1;
        }

        @Override
        public boolean claim(io.strata.core.build.BuildId build, String component, String version, String release) {
            return true;
        }
    }
}
