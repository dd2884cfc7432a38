package io.strata.kube.streams.wire;

/**
 * A Kubernetes/OpenShift object as the generator emits it: plain immutable records whose Jackson
 * serialisation is exactly the YAML written to the output file. The applier sends that same
 * serialisation to the cluster, so what is reviewed in the file is what is applied.
 */
public sealed interface ClusterObject permits BuildConfigObject, DaemonSetObject {
    String apiVersion();

    String kind();

    ObjectMeta metadata();

    /** {@code Kind namespace/name}, for progress and error messages. */
    default String describe() {
        return kind() + " " + metadata().namespace() + "/" + metadata().name();
    }
}
