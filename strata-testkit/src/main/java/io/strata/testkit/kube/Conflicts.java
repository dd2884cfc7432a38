package io.strata.testkit.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Writes of the kubelet and of a test race with the code under test (and with each other) on the same objects; an
 * {@code edit} carries the resourceVersion it read, so a race is a 409, and like any controller the
 * kubelet reads again and retries. A 404 means the object was deleted meanwhile: nothing to write.
 */
public final class Conflicts {
    private static final int ATTEMPTS = 20;

    private Conflicts() {}

    /** Runs {@code write}; false when the object is gone. */
    public static boolean retrying(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
