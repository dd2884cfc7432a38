package io.strata.worker.git;

import io.strata.worker.git.GitCheckoutException.Failure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;

/**
 * Decides from a JGit failure during clone or fetch which kind of checkout failure it is.
 *
 * <p>Network failures are known by their exception types and are asked first. JGit reports
 * authentication problems only through TransportException messages, so those are matched on its
 * wording ("not authorized", "Authentication is required") and on HTTP 401/403 as whole words, after
 * the URIs and paths in the message are removed: those repeat ports and directory names whose digits
 * (a port 40123, a temporary directory junit-4031...) once turned a refused connection or a missing
 * repository into GIT_AUTH_FAILED at random.
 */
final class GitFailureClassifier {
    private static final Pattern AUTH = Pattern.compile(
            "(?i)not authorized|authentication is required|auth fail|authentication failed|not permitted|\\b40[13]\\b");
    /** A URI or an absolute path, up to the next space. */
    private static final Pattern URI_OR_PATH = Pattern.compile("\\S*(?:://|/)\\S*");

    private GitFailureClassifier() {}

    static Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof NoRemoteRepositoryException
                    || t instanceof InvalidRemoteException) {
                return Failure.GIT_UNREACHABLE;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : URI_OR_PATH.matcher(t.getMessage()).replaceAll(" ");
            if (AUTH.matcher(message).find()) {
                return Failure.GIT_AUTH_FAILED;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotSupportedException || t instanceof org.eclipse.jgit.api.errors.TransportException
                    || t instanceof org.eclipse.jgit.errors.TransportException) {
                return Failure.GIT_UNREACHABLE;
            }
        }
        return Failure.GIT_CHECKOUT_FAILED;
    }
}
