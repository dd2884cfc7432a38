package io.strata.controller.build;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.strata.controller.inputs.BuildInputs;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One layered OS image build, as every builder sees it.
 *
 * @param names          the objects it is made of
 * @param pool           the MachineConfigPool it builds for
 * @param renderedConfig the pool's rendered MachineConfig
 * @param inputs         secrets, base and final image, builder type
 * @param labels         put on every object of the build (pool, rendered config, managed-by)
 * @param owners         owner references of every object of the build (the MachineOSBuild; none for a pool)
 * @param architecture   the OCI architecture it builds for (its pod is placed on a node of it and buildah is
 *                       given the platform); empty: whatever the node the builder lands on runs
 */
public record LayeredBuild(BuildObjectNames names, String pool, String renderedConfig, BuildInputs inputs,
        Map<String, String> labels, List<OwnerReference> owners, Optional<String> architecture) {
    public LayeredBuild {
        labels = Map.copyOf(labels);
        owners = List.copyOf(owners);
    }

    /** A build for the builder node's own architecture (the pool path). */
    public LayeredBuild(BuildObjectNames names, String pool, String renderedConfig, BuildInputs inputs,
            Map<String, String> labels, List<OwnerReference> owners) {
        this(names, pool, renderedConfig, inputs, labels, owners, Optional.empty());
    }
}
