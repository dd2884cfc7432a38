package io.strata.cli.remote;

import io.strata.cli.StrataEnvironment;
import io.strata.core.io.SchemeClients;
import io.strata.server.api.ApiJson;
import io.strata.server.api.BuildRequestBody;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.request.BuildRequest;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command handed to a build service spends its first ~0.1 s on one thread: picocli reads the
 * command line and the configuration is loaded, and only then the JSON mapper is made, the request
 * written and the HTTP client built, each loading and linking classes for the first time. Those three
 * need nothing from the command line, so they are begun on a second thread as the command starts,
 * when it names a service ({@code --server}, or {@code STRATA_SERVER}; {@code io.strata.cli.StartUpWarmUp}
 * decides); a command that names one only in the configuration file goes without. A build record
 * is also written and read back, so Jackson has its reader ready when the service answers. Nothing
 * is sent, and nothing of it is kept but what the JVM keeps anyway (initialised classes, Jackson's
 * serializers and deserializers); the command's own thread waits for a class another thread is
 * initialising, so there is no race to lose. Measured in docs/benchmarks.md ("Whole CLI", sixth
 * pass; "Build avoidance", third pass through the command line).
 */
public final class RemoteWarmUp {
    private RemoteWarmUp() {}

    /** A record with one of everything a finished build's record holds, for the warm-up only. */
    static BuildRecord sampleRecord() {
        Instant at = Instant.EPOCH;
        BuildId id = new BuildId("20000101-000000-000000");
        BuildRequest request = BuildRequest.builder().component("warm-up").gitUri("https://localhost/warm-up.git")
                .gitRef("main").build();
        ImageOutput output = new ImageOutput("x86_64", "localhost/warm-up", "sha256:0", List.of("warm-up"), 0L, List.of("sha256:1"),
                List.of(), Map.of("name", "warm-up"), Map.of("base", "sha256:2"), List.of());
        return new BuildRecord(id, request, Map.of("warm", "up"), "{}", BuildState.COMPLETE, at,
                List.of(new StateTransition(BuildState.COMPLETE, at)), List.of(new StepTiming("warm_up", at, at, StepOutcome.SUCCEEDED)),
                Optional.of("0"), List.of(output), Optional.of(new Failure("warm-up", "none")), Optional.of("{}"), Optional.of(id),
                List.of(), Optional.of("0"), Optional.of(id), Optional.of(id), Optional.of("warm-up"));
    }

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
            // Reading the first record the service answers (the submitted build) cost 110-140 ms of the command's
            // thread: Jackson builds the reader of every type a record holds, then runs it interpreted. Writing a
            // record (as --json prints the finished one) and reading it back here builds them ahead.
            RemoteBuildService.readRecord(ApiJson.writeCompact(sampleRecord()));
        } catch (Exception | LinkageError e) {
            // Only a head start: the command does the same work itself and reports what fails there.
        }
    }
}
