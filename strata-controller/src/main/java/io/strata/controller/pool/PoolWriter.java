package io.strata.controller.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a pool's status and annotation by replacing them (PUT), never by patching: the fabric8 mock
 * API server the tests run on appends to {@code status.conditions} on a JSON merge patch and drops a
 * {@code /status} PATCH that carries {@code fieldManager}, and JOSDK's {@code patchStatus} is such a
 * patch. A replace is also what a real API server does with optimistic locking: a stale pool is
 * refused (409) and JOSDK runs the reconcile again on the fresh one.
 */
final class PoolWriter {
    private final KubernetesClient client;

    PoolWriter(KubernetesClient client) {
        this.client = client;
    }

    void replaceStatus(MachineConfigPool pool, PoolStatus status) {
        MachineConfigPool copy = client.resources(MachineConfigPool.class).withName(pool.getMetadata().getName()).get();
        if (copy == null) {
            return; // deleted meanwhile: nothing to report on
        }
        if (copy.getStatus() == null) {
            copy.setStatus(new MachineConfigPoolStatus());
        }
        copy.getStatus().setConditions(status.conditions());
        client.resource(copy).updateStatus();
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
