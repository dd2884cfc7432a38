package io.strata.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfig;
import io.strata.core.StrataException;
import java.util.function.Supplier;

/**
 * What the controller checks before JOSDK starts its informers: that it can list what it watches
 * (one clear message instead of JOSDK's logged stack traces when it cannot), and whether the cluster
 * serves OpenShift Builds (a plain Kubernetes cluster does not; then only the pod and Job builders run
 * and no informer waits for Builds).
 */
public record ClusterCheck(boolean servesBuilds) {

    public static ClusterCheck of(KubernetesClient client) throws StrataException {
        require(client, "MachineConfigPools", () -> client.resources(MachineConfigPool.class).list());
        require(client, "MachineOSConfigs", () -> client.resources(MachineOSConfig.class).list());
        require(client, "MachineOSBuilds", () -> client.resources(MachineOSBuild.class).list());
        require(client, "ConfigMaps of " + MachineConfigNames.NAMESPACE,
                () -> client.configMaps().inNamespace(MachineConfigNames.NAMESPACE).list());
        boolean builds;
        try {
            client.resources(Build.class).inNamespace(MachineConfigNames.NAMESPACE).list();
            builds = true;
        } catch (KubernetesClientException e) {
            builds = false;
        }
        return new ClusterCheck(builds);
    }

    private static void require(KubernetesClient client, String what, Supplier<?> list) throws StrataException {
        try {
            list.get();
        } catch (KubernetesClientException e) {
            throw new StrataException("CONTROLLER_START_FAILED", "strata controller cannot list " + what + " at "
                    + client.getMasterUrl() + ": " + firstLine(e), "check that the API server answers (kubectl get"
                    + " machineconfigpools), that the CRDs of deploy/crds are installed and that the account may list and watch them");
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
