package io.strata.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.strata.controller.osbuild.MachineOSBuildReconciler;
import io.strata.controller.osbuild.MachineOSConfigReconciler;
import io.strata.controller.osbuild.PushedImages;
import io.strata.controller.pool.PoolReconciler;
import io.strata.core.StrataException;
import java.time.Clock;

/**
 * {@code strata controller}: the Java Operator SDK operator with the pool reconciler (the seed's
 * BuildController) and the MachineOSConfig/MachineOSBuild reconcilers.
 */
public final class StrataController implements AutoCloseable {
    private final Operator operator;

    private StrataController(Operator operator) {
        this.operator = operator;
    }

    /**
     * Checks the cluster ({@link ClusterCheck}), registers the reconcilers and starts their informers;
     * returns once they are running.
     *
     * @throws StrataException {@code CONTROLLER_START_FAILED} when the controller cannot list what it watches
     */
    public static StrataController start(KubernetesClient client, ControllerSettings settings, PushedImages images)
            throws StrataException {
        ClusterCheck cluster = ClusterCheck.of(client);
        Operator operator = new Operator(overrider -> overrider.withKubernetesClient(client)
                // JOSDK patches primaries and matches dependents with server-side apply by default. The fabric8
                // mock API server the tests run on answers SSA with 415, and the controller writes status by
                // replacing it anyway (PoolWriter says why), so both are off: plain requests on any API server.
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(false));
        // Not generation-aware: removing the opt-in label or annotating a pool does not bump its generation,
        // and both must reach the reconciler. Status writes happen only on change, so no loop follows.
        operator.register(new PoolReconciler(client, settings, cluster.servesBuilds(), Clock.systemUTC()), config -> config.withGenerationAware(false)
                .withName("machineconfigpool-builds"));
        operator.register(new MachineOSConfigReconciler(client, images, Clock.systemUTC()), config -> config.withGenerationAware(false)
                .withName("machineosconfigs"));
        operator.register(new MachineOSBuildReconciler(client, settings, images, Clock.systemUTC()), config -> config.withName("machineosbuilds"));
        operator.start();
        return new StrataController(operator);
    }

    @Override
    public void close() {
        operator.stop();
    }
}
