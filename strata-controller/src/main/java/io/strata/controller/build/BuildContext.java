package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.DOCKERFILE_KEY;
import static io.strata.controller.MachineConfigNames.MACHINE_CONFIG_KEY;
import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The two ConfigMaps a build reads: {@code dockerfile-R} (key {@code Dockerfile}) and {@code mc-R}
 * (key {@code machineconfig.json.gz}). Created once; an existing one is left as it is, so a reconcile
 * that runs again changes nothing under a running build.
 */
public final class BuildContext {
    private final KubernetesClient client;

    public BuildContext(KubernetesClient client) {
        this.client = client;
    }

    public void ensure(LayeredBuild build, String dockerfile, String machineConfigArchive) {
        ensure(build, build.names().dockerfile(), Map.of(DOCKERFILE_KEY, dockerfile));
        ensure(build, build.names().machineConfig(), Map.of(MACHINE_CONFIG_KEY, machineConfigArchive));
    }

    /** Both ConfigMaps exist (a failed build keeps them for debugging, a successful one removes them). */
    public boolean exists(LayeredBuild build) {
        return get(build.names().dockerfile()) != null && get(build.names().machineConfig()) != null;
    }

    public void remove(LayeredBuild build) {
        for (String name : new String[] {build.names().dockerfile(), build.names().machineConfig(), build.names().digest()}) {
            client.configMaps().inNamespace(NAMESPACE).withName(name).delete();
        }
    }

    private ConfigMap get(String name) {
        return client.configMaps().inNamespace(NAMESPACE).withName(name).get();
    }

    private void ensure(LayeredBuild build, String name, Map<String, String> data) {
        if (get(name) != null) {
            return;
        }
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(build.labels()).withOwnerReferences(build.owners()).endMetadata().withData(data).build();
        KubeCalls.createIgnoringConflict(client.configMaps().inNamespace(NAMESPACE).resource(configMap));
    }
}
