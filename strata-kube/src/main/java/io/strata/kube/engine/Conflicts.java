package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * 409 Conflict retried as osbs-client does: another writer changed the object between our read
 * and our write, so read again and retry, a few times with a short pause.
 */
final class Conflicts {
    static final int ATTEMPTS = 5;

    private Conflicts() {}

    static <T> T retrying(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
