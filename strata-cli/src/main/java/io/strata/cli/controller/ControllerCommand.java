package io.strata.cli.controller;

import io.strata.cli.StartUpTraining;
import io.strata.cli.StrataEnvironment;
import io.strata.cli.build.LocalBuilds;
import io.strata.controller.ControllerSettings;
import io.strata.controller.StrataController;
import io.strata.controller.osbuild.PushedImages;
import io.strata.core.StrataException;
import io.strata.kube.streams.ClusterConnection;
import io.strata.registry.RegistryClientConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata controller}: builds layered OS images for MachineConfigPools that opt in and for
 * MachineOSConfigs (docs/controller.md), until SIGINT, SIGTERM or SIGHUP. Finds its cluster through
 * {@code --kubeconfig}, {@code $KUBECONFIG}, {@code ~/.kube/config} or, in a pod, its service account.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Build layered OS images for machine pools (docs/controller.md).")
public final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the cluster (default: $KUBECONFIG,"
            + " ~/.kube/config, or the pod's service account).")
    Path kubeconfig;

    @Option(names = "--builder-image", paramLabel = "IMAGE", defaultValue = ControllerSettings.DEFAULT_BUILDER_IMAGE,
            description = "Image of the custom build pod and of Job builds: buildah and kubectl (default ${DEFAULT-VALUE}).")
    String builderImage;

    @Option(names = "--os-config-tool", paramLabel = "PATH", defaultValue = ControllerSettings.DEFAULT_OS_CONFIG_TOOL,
            description = "Command in the base OS image that applies a MachineConfig's JSON (default ${DEFAULT-VALUE}).")
    String osConfigTool;

    @Option(names = "--tls-verify", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "Whether builds check registry TLS certificates (default ${DEFAULT-VALUE}).")
    boolean tlsVerify;

    @Option(names = "--job-retries", paramLabel = "N", defaultValue = "3",
            description = "How often a Job build is retried before it fails (default ${DEFAULT-VALUE}).")
    int jobRetries;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobRetries < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--job-retries must be 0 or more, not " + jobRetries);
        }
        if (builderImage.isBlank() || osConfigTool.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--builder-image and --os-config-tool must not be empty");
        }
        ControllerSettings settings = new ControllerSettings(builderImage, osConfigTool, tlsVerify, jobRetries);
        StrataEnvironment environment = StrataEnvironment.of(spec);
        return LocalBuilds.cancellable(() -> {
            try (ClusterConnection cluster = ClusterConnection.open(Optional.ofNullable(kubeconfig), Optional.empty(),
                    environment.variables(), environment.userHome());
                    StrataController controller = start(cluster, settings)) {
                out.println("strata controller: watching MachineConfigPools and MachineOSConfigs on " + cluster.server());
                StartUpTraining.running();
                out.flush();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException stop) {
                    err.println("strata controller: stopping");
                    err.flush();
                }
                return 0;
            }
        });
    }

    private static StrataController start(ClusterConnection cluster, ControllerSettings settings) throws StrataException {
        try {
            return StrataController.start(cluster.client(), settings, new PushedImages(RegistryClientConfig.defaults()));
        } catch (RuntimeException e) {
            // ClusterCheck lists first; this is for what fails later in JOSDK's start (a watch refused, say).
            throw new StrataException("CONTROLLER_START_FAILED", "strata controller cannot watch the cluster at " + cluster.server()
                    + ": " + firstLine(e), "check that the API server answers (kubectl get machineconfigpools), that the CRDs of"
                    + " deploy/crds are installed and that the account may list and watch them");
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName());
    }
}
