package io.strata.controller.pool;

import static io.strata.controller.MachineConfigNames.BUILD_CONFIG_MAP;
import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static io.strata.controller.MachineConfigNames.OS_IMAGE_URL_CONFIG_MAP;
import static io.strata.controller.MachineConfigNames.POOL_LABEL;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What wakes a pool's reconcile besides the pool itself: its builder Pod or Build changing, its
 * ConfigMaps (the digest one appearing), and the two input ConfigMaps, which concern every pool.
 * The reconciler reads objects from the API, not from these caches: the informers only say when.
 */
final class BuildEventSources {
    private BuildEventSources() {
    }

    static List<EventSource<?, MachineConfigPool>> of(EventSourceContext<MachineConfigPool> context, boolean servesBuilds) {
        List<EventSource<?, MachineConfigPool>> sources = new java.util.ArrayList<>();
        sources.add(informer(context, Pod.class, BuildEventSources::byPoolLabel));
        if (servesBuilds) {
            sources.add(informer(context, Build.class, BuildEventSources::byPoolLabel));
        }
        sources.add(informer(context, ConfigMap.class, configMap -> {
                    String name = configMap.getMetadata().getName();
                    if (BUILD_CONFIG_MAP.equals(name) || OS_IMAGE_URL_CONFIG_MAP.equals(name)) {
                        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
                    }
                    return byPoolLabel(configMap);
                }));
        return sources;
    }

    private static <R extends HasMetadata> EventSource<?, MachineConfigPool> informer(EventSourceContext<MachineConfigPool> context,
            Class<R> type, SecondaryToPrimaryMapper<R> mapper) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, MachineConfigPool.class)
                .withName("pool-" + type.getSimpleName().toLowerCase(java.util.Locale.ROOT))
                .withNamespaces(Set.of(NAMESPACE)).withSecondaryToPrimaryMapper(mapper).build(), context);
    }

    private static Set<ResourceID> byPoolLabel(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String pool = labels == null ? null : labels.get(POOL_LABEL);
        return pool == null ? Set.of() : Set.of(new ResourceID(pool));
    }
}
