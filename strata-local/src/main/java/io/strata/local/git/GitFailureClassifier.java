package io.strata.local.git;

import io.strata.local.git.GitCheckoutException.Failure;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;

/**
 * Decides from a JGit failure during clone or fetch which kind of checkout failure it is. JGit
 * reports authentication problems only through TransportException messages, so those are
 * matched on its wording ("not authorized", "Authentication is required").
 */
final class GitFailureClassifier {
    private static final List<String> AUTH_WORDS = List.of(
            "not authorized", "authentication is required", "auth fail", "authentication failed", "401", "403");

    private GitFailureClassifier() {}

    static Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (AUTH_WORDS.stream().anyMatch(message::contains)) {
                return Failure.GIT_AUTH_FAILED;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidRemoteException || t instanceof NoRemoteRepositoryException
                    || t instanceof NotSupportedException || t instanceof org.eclipse.jgit.api.errors.TransportException
                    || t instanceof org.eclipse.jgit.errors.TransportException || t instanceof java.net.ConnectException
                    || t instanceof java.net.UnknownHostException) {
                return Failure.GIT_UNREACHABLE;
            }
        }
        return Failure.GIT_CHECKOUT_FAILED;
    }
}
