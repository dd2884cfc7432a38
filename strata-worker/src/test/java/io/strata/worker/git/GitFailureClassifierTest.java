package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.git.GitCheckoutException.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GitFailureClassifierTest {
    static Stream<Arguments> failures() throws Exception {
        URIish uri = new URIish("https://git.example.com/app.git");
        return Stream.of(
                Arguments.of(new TransportException("https://git.example.com/app.git: not authorized"),
                        Failure.GIT_AUTH_FAILED),
                Arguments.of(new TransportException("fetch failed",
                        new org.eclipse.jgit.errors.TransportException(uri, "Authentication is required but no "
                                + "CredentialsProvider has been registered")), Failure.GIT_AUTH_FAILED),
                Arguments.of(new InvalidRemoteException("Invalid remote: origin"), Failure.GIT_UNREACHABLE),
                Arguments.of(new TransportException("fetch failed", new NoRemoteRepositoryException(uri, "not found.")),
                        Failure.GIT_UNREACHABLE),
                Arguments.of(new TransportException("https://git.example.com/app.git: cannot open git-upload-pack",
                        new ConnectException("Connection refused")), Failure.GIT_UNREACHABLE),
                Arguments.of(new IOException("No space left on device"), Failure.GIT_CHECKOUT_FAILED),
                // Digits of ports and paths are not HTTP statuses: these two were read as GIT_AUTH_FAILED at random.
                Arguments.of(new TransportException("http://user@127.0.0.1:40123/app.git: connection failed",
                        new ConnectException("Connection refused")), Failure.GIT_UNREACHABLE),
                Arguments.of(new TransportException("http://127.0.0.1:34031/app.git: connection failed"), Failure.GIT_UNREACHABLE),
                Arguments.of(new InvalidRemoteException("Invalid remote: /tmp/junit-4031995/no-repo"), Failure.GIT_UNREACHABLE),
                Arguments.of(new TransportException("/tmp/junit-4013/no-repo: not found in /srv/403"), Failure.GIT_UNREACHABLE),
                Arguments.of(new TransportException("https://git.example.com/app.git: 403 Forbidden"), Failure.GIT_AUTH_FAILED),
                Arguments.of(new TransportException("https://git.example.com/app.git: git-upload-pack not permitted on"
                        + " 'https://git.example.com/app.git/'"), Failure.GIT_AUTH_FAILED));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void classifiesJGitFailures(Throwable failure, Failure expected) {
        assertThat(GitFailureClassifier.classify(failure)).isEqualTo(expected);
    }
}
