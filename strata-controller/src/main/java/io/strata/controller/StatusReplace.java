package io.strata.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Writes a resource's status by replacing it (PUT on {@code /status}), never by patching. The fabric8
 * mock API server the tests run on appends to arrays such as {@code status.conditions} on a JSON merge
 * patch and drops a {@code /status} PATCH that carries {@code fieldManager} (answering 2xx), and
 * JOSDK's {@code patchStatus} is such a patch. A PUT does the same on a real API server, so the
 * reconcilers return {@code noUpdate} and write through here instead.
 *
 * <p>The read, the change and the PUT of one resource are one step within this process: two reconcilers
 * write the same status (a MachineOSConfig's marks a superseded MachineOSBuild Interrupted while the
 * build's own writes its progress). A real API server refuses a PUT made from an older read (409), but
 * the mock accepts it and the older status wins (checked: a stale status PUT replaced a newer one): a
 * build's "Building" read before the supersede was written over it, and its Job's deletion then ended it
 * as JOB_DELETED instead of superseded (MachineOSConfigTest failed so about once in ten runs). Serialized
 * here, each change reads what the one before wrote; across processes the API server's 409 still decides.
 */
public final class StatusReplace {
    /** Striped: resources whose keys share a stripe wait for each other briefly, and the map never grows. */
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private StatusReplace() {
    }

    /**
     * Reads the resource fresh, applies {@code change} and replaces its status, while no other writer of this
     * process changes that resource's status. A writer elsewhere makes the PUT fail with 409 (on a real API
     * server), which fails the reconcile, and JOSDK runs it again on the new state.
     */
    public static <T extends HasMetadata> void of(KubernetesClient client, T resource, UnaryOperator<T> change) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) resource.getClass();
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        ReentrantLock lock = STRIPES[Math.floorMod((type.getName() + "/" + namespace + "/" + name).hashCode(), STRIPES.length)];
        lock.lock();
        try {
            var named = namespace == null ? client.resources(type).withName(name) : client.resources(type).inNamespace(namespace).withName(name);
            T fresh = named.get();
            if (fresh == null) {
                return; // deleted meanwhile: nothing to report on
            }
            client.resource(change.apply(fresh)).updateStatus();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code thread} waits here for another writer: for tests. */
    static boolean waiting(Thread thread) {
        for (ReentrantLock stripe : STRIPES) {
            if (stripe.hasQueuedThread(thread)) {
                return true;
            }
        }
        return false;
    }
}
