package io.strata.kube.worker;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import java.util.Optional;

/**
 * Writes a worker's {@link ResultDocument} where its engine reads it: the ConfigMap
 * {@code strata-result-BUILD} in the pod's namespace, owned by the pod (so the cluster removes it
 * with the pod if the engine cannot), replaced if an earlier attempt left one.
 */
public final class ResultPublisher {
    private final KubernetesClient client;
    private final String namespace;

    public ResultPublisher(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public void publish(BuildId id, Optional<String> podName, ResultDocument result) throws StrataException {
        ConfigMapBuilder map = new ConfigMapBuilder().withNewMetadata().withName(WorkerPodContract.resultName(id)).withNamespace(namespace)
                .addToLabels(WorkerPodContract.BUILD_ID_LABEL, id.value())
                .addToLabels(WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY).endMetadata()
                .addToData(WorkerPodContract.RESULT_KEY, result.toJson());
        try {
            Optional<Pod> pod = podName.map(name -> client.pods().inNamespace(namespace).withName(name).get());
            pod.ifPresent(p -> map.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                    .withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid()).build()).endMetadata());
            ConfigMap built = map.build();
            client.configMaps().inNamespace(namespace).withName(built.getMetadata().getName()).delete();
            client.configMaps().inNamespace(namespace).resource(built).create();
        } catch (KubernetesClientException e) {
            throw new StrataException("WORKER_RESULT_UNWRITABLE", "cannot write the build's result to ConfigMap " + namespace + "/"
                    + WorkerPodContract.resultName(id) + ": " + e.getMessage(),
                    "the worker's service account needs get on pods and create/delete on configmaps in " + namespace
                            + "; or run the worker with --result-file PATH");
        }
    }
}
