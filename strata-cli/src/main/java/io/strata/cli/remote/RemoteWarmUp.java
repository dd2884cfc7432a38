package io.strata.cli.remote;

import io.strata.cli.StrataEnvironment;
import io.strata.core.io.SchemeClients;
import io.strata.server.api.ApiJson;
import io.strata.server.api.BuildRequestBody;
import io.strata.core.build.BuildState;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Arrays;

/**
 * A command handed to a build service spends its first ~0.1 s on one thread: picocli reads the
 * command line and the configuration is loaded, and only then the JSON mapper is made, the request
 * written and the HTTP client built, each loading and linking classes for the first time. Those three
 * need nothing from the command line, so they are begun on a second thread as the command starts,
 * when it names a service ({@code --server}, or {@code STRATA_SERVER}; {@code io.strata.cli.StartUpWarmUp}
 * decides); a command that names one only in the configuration file goes without. A state event
 * is also read, so Jackson has that reader ready when the service streams the build's states. Nothing
 * is sent, and nothing of it is kept but what the JVM keeps anyway (initialised classes, Jackson's
 * serializers and deserializers); the command's own thread waits for a class another thread is
 * initialising, so there is no race to lose. Measured in docs/benchmarks.md ("Whole CLI", sixth
 * pass; "Build avoidance", third pass through the command line).
 */
public final class RemoteWarmUp {
    private RemoteWarmUp() {}

    /** Whether {@code args} or {@code environment} name a build service, so the command will talk to one. */
    public static boolean namesService(StrataEnvironment environment, String... args) {
        return environment.variable(ServerOptions.SERVER_VARIABLE).filter(url -> !url.isBlank()).isPresent()
                || Arrays.stream(args).anyMatch(arg -> arg.equals("--server") || arg.startsWith("--server="));
    }

    /** Does the work a command handed to a service does first, and drops the results: see the class's comment. */
    public static void warmUp() {
        try {
            ApiJson.writeCompact(new BuildRequestBody("warm-up", "https://localhost/warm-up.git", null, null, null,
                    null, java.util.List.of("x86_64"), null, null, null, java.util.List.of(), java.util.Map.of(),
                    java.util.Map.of("warm", "up"), null, null, null, null, null));
            HttpClient.newBuilder().sslContext(SchemeClients.inertTls());
            // `strata build --server` reads the service's answers as trees and its state events as one small
            // record (io.strata.cli.build.BuildEnding says why no whole record): those readers, built ahead.
            RemoteBuildService.readStateEvent(ApiJson.writeCompact(new io.strata.server.api.StreamEvent.State(
                    "20000101-000000-000000", 1, BuildState.COMPLETE, Instant.EPOCH)));
        } catch (Exception | LinkageError e) {
            // Only a head start: the command does the same work itself and reports what fails there.
        }
    }
}
