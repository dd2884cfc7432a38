package io.strata.controller;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.strata.controller.osbuild.PushedImages;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The controller as a process of its own, for a test that kills it. {@link #main} runs what
 * {@code strata controller} runs (StrataController on a kubeconfig's cluster, until a signal) without
 * the CLI's options; {@link #start} launches it from a test with this JVM's classpath and a clean
 * environment, and waits until its informers run.
 */
public final class ControllerProcess implements AutoCloseable {
    static final String STARTED = "strata controller: watching";

    private final Process process;
    private final Path log;

    private ControllerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Arguments: the kubeconfig file and the builder image. */
    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                StrataController controller = StrataController.start(client,
                        ControllerSettings.defaults().withTlsVerify(false).withBuilderImage(args[1]),
                        new PushedImages(RegistryClientConfig.defaults()))) {
            System.out.println(STARTED + " " + config.getMasterUrl());
            System.out.flush();
            new CountDownLatch(1).await(); // until a signal ends the process
        }
    }

    /** Starts the controller on the cluster of {@code kubeconfig}, its output in {@code log}; returns once it watches. */
    public static ControllerProcess start(Path kubeconfig, String builderImage, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // C1 only and the serial collector: the process lives for one build, and starts much faster on a loaded machine.
        Process process = ChildEnvironment.of(log.getParent()).processBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-cp", classpath,
                        ControllerProcess.class.getName(), kubeconfig.toString(), builderImage))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ControllerProcess controller = new ControllerProcess(process, log);
        try {
            Eventually.until("the controller process started (log " + log + ")", () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the controller process ended with " + process.exitValue() + ":\n" + controller.log());
                }
                return controller.log().contains(STARTED);
            });
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
        return controller;
    }

    /** Kills the process with SIGKILL (no shutdown hook runs) and returns its exit status. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Ends the process (SIGTERM, as a pod is stopped) if it still runs, and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
