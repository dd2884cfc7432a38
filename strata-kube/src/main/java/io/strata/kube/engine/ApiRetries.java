package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The two failures of an API call that the engines try again rather than fail a worker build on.
 *
 * <p>A 409 Conflict, as osbs-client does: another writer changed the object between our read and
 * our write, so read again and retry, a few times with a short pause.
 *
 * <p>No answer at all: the connection closed before an HTTP status came back. fabric8 retries
 * only {@code IOException}s itself, and its Vert.x client reports a connection closed under a
 * request as {@code HttpClosedException}, which it does not (CI once lost a multi-platform build
 * this way). The write may or may not have been made, so only a step that converges when run twice
 * (delete-then-create, create-or-follow-the-existing, create-or-update) is retried.
 */
final class ApiRetries {
    static final int ATTEMPTS = 5;

    /** A step against the API server that is safe to run again after an unanswered call. */
    @FunctionalInterface
    interface IdempotentStep {
        void run() throws StrataException;
    }

    @FunctionalInterface
    private interface Call<T, X extends Exception> {
        T call() throws X;
    }

    private ApiRetries() {}

    static <T> T onConflict(Supplier<T> write) {
        return retrying(write::get, e -> e.getCode() == 409);
    }

    static void onNoAnswer(IdempotentStep step) throws StrataException {
        retrying(() -> {
            step.run();
            return null;
        }, ApiRetries::unanswered);
    }

    /** No HTTP status: the request failed on the connection (fabric8 then reports code 0). */
    static boolean unanswered(KubernetesClientException e) {
        return e.getCode() <= 0;
    }

    private static <T, X extends Exception> T retrying(Call<T, X> call, Predicate<KubernetesClientException> again) throws X {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (KubernetesClientException e) {
                if (!again.test(e) || attempt == ATTEMPTS) {
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
