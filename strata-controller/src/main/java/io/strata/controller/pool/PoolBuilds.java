package io.strata.controller.pool;

import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static io.strata.controller.MachineConfigNames.POOL_LABEL;
import static io.strata.controller.MachineConfigNames.RENDERED_CONFIG_LABEL;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.Build;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Finds what the controller made for a pool, by the labels it puts on every object. */
final class PoolBuilds {
    private final KubernetesClient client;
    private final boolean servesBuilds;

    PoolBuilds(KubernetesClient client, boolean servesBuilds) {
        this.client = client;
        this.servesBuilds = servesBuilds;
    }

    /** The rendered MachineConfigs that have a builder object or ConfigMap of this pool. */
    Set<String> renderedConfigs(String pool) {
        Set<String> configs = new TreeSet<>();
        Stream.of(client.pods().inNamespace(NAMESPACE).withLabel(POOL_LABEL, pool).list().getItems(),
                        servesBuilds ? client.resources(Build.class).inNamespace(NAMESPACE).withLabel(POOL_LABEL, pool).list().getItems()
                                : List.<Build>of(),
                        client.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(POOL_LABEL, pool).list().getItems(),
                        client.configMaps().inNamespace(NAMESPACE).withLabel(POOL_LABEL, pool).list().getItems())
                .flatMap(List::stream)
                .map(HasMetadata::getMetadata)
                .map(metadata -> metadata.getLabels() == null ? Map.<String, String>of() : metadata.getLabels())
                .map(labels -> labels.get(RENDERED_CONFIG_LABEL))
                .filter(java.util.Objects::nonNull)
                .forEach(configs::add);
        return configs;
    }
}
