package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.openshift.api.model.Build;
import java.util.Optional;

/**
 * Turns an OpenShift {@link Build} into the pod that runs it, as OpenShift's build controller does
 * per strategy. The {@link TestKubelet} names the pod {@code BUILD-build}, labels it
 * {@code openshift.io/build.name=BUILD}, makes the Build its owner, runs it like any pod, and moves
 * the Build's phase with the pod's (Pending, Running, Complete, Failed; Cancelled when
 * {@code status.cancelled} is set, which deletes the pod). The Build's log is its pod's.
 *
 * <p>{@link CustomStrategyBuilds} handles custom-strategy Builds; a test adds its own handler for
 * other strategies (a docker-strategy Build, say) and combines them with {@link #or}.
 */
@FunctionalInterface
public interface BuildHandler {
    /** The pod for {@code build}, or empty when this handler does not take Builds of its strategy. */
    Optional<Pod> podFor(Build build);

    /** This handler, then {@code other} for the Builds this one does not take. */
    default BuildHandler or(BuildHandler other) {
        return build -> podFor(build).or(() -> other.podFor(build));
    }
}
