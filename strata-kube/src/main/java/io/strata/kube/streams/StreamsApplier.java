package io.strata.kube.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.openshift.api.model.BuildConfig;
import io.strata.core.StrataException;
import io.strata.kube.streams.wire.BuildConfigObject;
import io.strata.kube.streams.wire.ClusterObject;
import io.strata.kube.streams.wire.DaemonSetObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Creates or updates generated objects on a cluster. Each object is sent exactly as it is written to
 * the output file (its JSON form read into the fabric8 model), replacing whatever is there: these
 * objects are owned by the generator, so a field someone changed by hand is meant to be reset.
 */
public final class StreamsApplier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    public StreamsApplier(KubernetesClient client) {
        this.client = client;
    }

    /** What happened to one object. */
    public record Applied(ClusterObject object, Action action) {}

    public enum Action {
        CREATED,
        UPDATED
    }

    /**
     * Applies the objects in order, reporting each on {@code progress}; stops at the first failure
     * (objects already applied stay; applying again converges).
     */
    public List<Applied> apply(GeneratedObjects objects, Consumer<String> progress) throws StrataException {
        List<Applied> applied = new ArrayList<>();
        for (ClusterObject object : objects.all()) {
            Action action = applyOne(object);
            progress.accept((action == Action.CREATED ? "created " : "updated ") + object.describe());
            applied.add(new Applied(object, action));
        }
        return List.copyOf(applied);
    }

    private Action applyOne(ClusterObject object) throws StrataException {
        HasMetadata desired = toModel(object);
        try {
            Resource<HasMetadata> resource = client.resource(desired);
            HasMetadata existing = resource.get();
            if (existing == null) {
                resource.create();
                return Action.CREATED;
            }
            // Replace with the version just read: a concurrent change makes this fail instead of being lost.
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            client.resource(desired).update();
            return Action.UPDATED;
        } catch (KubernetesClientException e) {
            throw new StrataException("CLUSTER_APPLY_FAILED",
                    "cannot apply " + object.describe() + " to " + client.getMasterUrl() + ": " + statusOf(e),
                    "check that the kubeconfig context points at the right cluster and that the user (or the --as"
                            + " user) may create and update BuildConfigs and DaemonSets in namespace "
                            + object.metadata().namespace(),
                    e);
        }
    }

    private HasMetadata toModel(ClusterObject object) {
        Class<? extends HasMetadata> type = switch (object) {
            case BuildConfigObject ignored -> BuildConfig.class;
            case DaemonSetObject ignored -> DaemonSet.class;
        };
        try {
            return client.getKubernetesSerialization().unmarshal(JSON.writeValueAsString(object), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + object.describe(), e);
        }
    }

    /** The server's answer, or for a request that got none, the underlying cause (connection refused, ...). */
    private static String statusOf(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return "HTTP " + e.getCode() + " " + e.getStatus().getMessage();
        }
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "no answer from the API server: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
