package io.strata.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.UnaryOperator;

/**
 * Writes a resource's status by replacing it (PUT on {@code /status}), never by patching. The fabric8
 * mock API server the tests run on appends to arrays such as {@code status.conditions} on a JSON merge
 * patch and drops a {@code /status} PATCH that carries {@code fieldManager} (answering 2xx), and
 * JOSDK's {@code patchStatus} is such a patch. A PUT does the same on a real API server, so the
 * reconcilers return {@code noUpdate} and write through here instead.
 */
public final class StatusReplace {
    private StatusReplace() {
    }

    /**
     * Reads the resource fresh, applies {@code change} and replaces its status. A concurrent writer
     * makes the PUT fail with 409, which fails the reconcile, and JOSDK runs it again on the new state.
     */
    public static <T extends HasMetadata> void of(KubernetesClient client, T resource, UnaryOperator<T> change) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) resource.getClass();
        var named = resource.getMetadata().getNamespace() == null ? client.resources(type).withName(resource.getMetadata().getName())
                : client.resources(type).inNamespace(resource.getMetadata().getNamespace()).withName(resource.getMetadata().getName());
        T fresh = named.get();
        if (fresh == null) {
            return; // deleted meanwhile: nothing to report on
        }
        client.resource(change.apply(fresh)).updateStatus();
    }
}
