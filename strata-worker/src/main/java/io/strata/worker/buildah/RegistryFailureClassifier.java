package io.strata.worker.buildah;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells from buildah's error output why talking to a registry failed. buildah (through
 * containers/image) has no machine-readable error codes, so this matches the wording of the Go
 * libraries underneath: the registry's "unauthorized" answer, net's dial errors and the HTTP status
 * lines of server errors.
 */
final class RegistryFailureClassifier {
    enum Cause { AUTHENTICATION, PASSING, UNREACHABLE }

    /** The cause, and for a passing one (worth trying again) its few words. */
    record Classified(Cause cause, String words) {}

    private static final List<String> AUTHENTICATION = List.of(
            "unauthorized", "authentication required", "invalid username/password", "401 unauthorized");
    /** Failures of a registry that is restarting or overloaded; they pass by themselves. */
    private static final List<String> PASSING = List.of(
            "connection refused", "connection reset by peer", "i/o timeout", "unexpected eof", "broken pipe");
    private static final List<String> UNREACHABLE = List.of(
            "no such host", "network is unreachable", "no route to host", "server misbehaving");
    /** "received unexpected HTTP status: 503 Service Unavailable", "429 Too Many Requests", "StatusCode: 502". */
    private static final Pattern SERVER_ERROR = Pattern.compile(
            "(?i)(?:status(?: ?code)?:? |HTTP/\\d(?:\\.\\d)? )(5\\d\\d|429)\\b( [A-Za-z][A-Za-z ]{2,40}[A-Za-z])?");

    private RegistryFailureClassifier() {}

    static Optional<Cause> classify(String errorOutput) {
        return classified(errorOutput).map(Classified::cause);
    }

    static Optional<Classified> classified(String errorOutput) {
        String text = errorOutput.toLowerCase(Locale.ROOT);
        if (AUTHENTICATION.stream().anyMatch(text::contains)) {
            return Optional.of(new Classified(Cause.AUTHENTICATION, ""));
        }
        Optional<String> passing = PASSING.stream().filter(text::contains).findFirst();
        if (passing.isPresent()) {
            return Optional.of(new Classified(Cause.PASSING, passing.get()));
        }
        if (UNREACHABLE.stream().anyMatch(text::contains)) {
            return Optional.of(new Classified(Cause.UNREACHABLE, ""));
        }
        Matcher status = SERVER_ERROR.matcher(errorOutput);
        if (status.find()) {
            String reason = status.group(2) == null ? "" : status.group(2);
            return Optional.of(new Classified(Cause.PASSING, "HTTP " + status.group(1) + reason));
        }
        return Optional.empty();
    }
}
