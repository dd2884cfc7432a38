package io.strata.controller.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.StatusReplace;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolStatus;
import java.util.HashMap;
import java.util.Map;

/** Writes a pool's conditions (replaced, see {@link StatusReplace}) and its annotations (replaced too). */
final class PoolWriter {
    private final KubernetesClient client;

    PoolWriter(KubernetesClient client) {
        this.client = client;
    }

    void replaceStatus(MachineConfigPool pool, PoolStatus status) {
        StatusReplace.of(client, pool, fresh -> {
            if (fresh.getStatus() == null) {
                fresh.setStatus(new MachineConfigPoolStatus());
            }
            fresh.getStatus().setConditions(status.conditions());
            return fresh;
        });
    }

    /** Sets (or, with null, removes) an annotation; returns whether it changed. */
    boolean annotate(MachineConfigPool pool, String key, String value) {
        MachineConfigPool copy = client.resources(MachineConfigPool.class).withName(pool.getMetadata().getName()).get();
        if (copy == null) {
            return false;
        }
        Map<String, String> annotations = new HashMap<>(copy.getMetadata().getAnnotations() == null ? Map.of()
                : copy.getMetadata().getAnnotations());
        if (java.util.Objects.equals(annotations.get(key), value)) {
            return false;
        }
        if (value == null) {
            annotations.remove(key);
        } else {
            annotations.put(key, value);
        }
        copy.getMetadata().setAnnotations(annotations);
        client.resource(copy).update();
        return true;
    }
}
