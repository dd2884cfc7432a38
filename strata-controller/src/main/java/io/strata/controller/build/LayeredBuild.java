package io.strata.controller.build;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.strata.controller.inputs.BuildInputs;
import java.util.List;
import java.util.Map;

/**
 * One layered OS image build, as every builder sees it.
 *
 * @param names          the objects it is made of
 * @param pool           the MachineConfigPool it builds for
 * @param renderedConfig the pool's rendered MachineConfig
 * @param inputs         secrets, base and final image, builder type
 * @param labels         put on every object of the build (pool, rendered config, managed-by)
 * @param owners         owner references of every object of the build (the MachineOSBuild; none for a pool)
 */
public record LayeredBuild(BuildObjectNames names, String pool, String renderedConfig, BuildInputs inputs,
        Map<String, String> labels, List<OwnerReference> owners) {
    public LayeredBuild {
        labels = Map.copyOf(labels);
        owners = List.copyOf(owners);
    }
}
