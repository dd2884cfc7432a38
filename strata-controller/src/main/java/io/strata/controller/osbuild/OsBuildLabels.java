package io.strata.controller.osbuild;

import static io.strata.controller.MachineConfigNames.MANAGED_BY;
import static io.strata.controller.MachineConfigNames.MANAGED_BY_LABEL;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Set;

/**
 * Labels of the MachineOSConfig path's objects. They are not the pool path's labels, so the pool
 * reconciler never takes a MachineOSBuild's Job for one of its own builds.
 */
final class OsBuildLabels {
    static final String MACHINE_OS_CONFIG = "machineconfiguration.openshift.io/machine-os-config";
    static final String MACHINE_OS_BUILD = "machineconfiguration.openshift.io/machine-os-build";
    /** Annotation of a MachineOSBuild: the architectures it builds ({@code amd64,arm64}), fixed when it is made. */
    static final String ARCHITECTURES = "strata.io/architectures";

    private OsBuildLabels() {
    }

    static Map<String, String> of(String machineOSConfig, String machineOSBuild) {
        return Map.of(MACHINE_OS_CONFIG, machineOSConfig, MACHINE_OS_BUILD, machineOSBuild, MANAGED_BY_LABEL, MANAGED_BY);
    }

    /** The cluster-scoped resource {@code label} names on {@code object}, for an informer's mapper. */
    static Set<ResourceID> named(HasMetadata object, String label) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(label);
        return name == null ? Set.of() : Set.of(new ResourceID(name));
    }
}
