package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.build.Failure;
import io.strata.core.engine.WorkerResult;
import java.util.Set;

/** The cluster's answers turned into a worker build's failure: a reason code, what happened where, how to fix it. */
final class KubeFailures {
    /** Failures that may pass by themselves: the scheduler tries the build again. */
    static final Set<String> TRANSIENT = Set.of("CLUSTER_UNREACHABLE", "WORKER_POD_DELETED");

    private KubeFailures() {}

    static WorkerResult failed(String reason, String message, String hint) {
        return WorkerResult.failed(new Failure(reason, message, hint), TRANSIENT.contains(reason));
    }

    /** An API call that failed: 403 is a permission the service account lacks, no answer is an unreachable server. */
    static WorkerResult of(KubernetesClientException e, ClusterAccess cluster, String doing) {
        String where = "cluster " + cluster.name() + " (" + cluster.client().getMasterUrl() + "), namespace " + cluster.namespace();
        if (e.getCode() == 403) {
            return failed("CLUSTER_FORBIDDEN", "the " + where + " refused to " + doing + " (403 Forbidden): " + firstLine(e),
                    "give the service account Strata uses the role in deploy/rbac.yaml (pods, pods/log, configmaps, secrets"
                            + " in " + cluster.namespace() + "), or set namespace in osbs.conf to one it may use");
        }
        if (ApiRetries.unanswered(e)) {
            return failed("CLUSTER_UNREACHABLE", "the " + where + " cannot be reached to " + doing + ": " + rootCause(e),
                    "check that the API server in the kubeconfig is up and reachable from here");
        }
        return failed("CLUSTER_API_ERROR", "the " + where + " answered " + e.getCode() + " when asked to " + doing + ": " + firstLine(e),
                "see the API server's message; the build can be tried again");
    }

    private static String firstLine(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
        return message.lines().findFirst().orElse("");
    }

    static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
