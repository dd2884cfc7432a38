package io.strata.controller.build;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;

/** Small idempotent forms of client calls. */
final class KubeCalls {
    private KubeCalls() {
    }

    /** Creates the object; one that appeared meanwhile (409, another reconcile or a restart) is fine: it is the same build. */
    static <T extends HasMetadata> void createIgnoringConflict(Resource<T> resource) {
        try {
            resource.create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }
}
