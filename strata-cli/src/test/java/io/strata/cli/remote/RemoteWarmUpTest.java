package io.strata.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.StrataEnvironment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warm-up begins only for a command that names a build service, on the command line or in the environment. */
class RemoteWarmUpTest {
    private static StrataEnvironment environment(Map<String, String> variables) {
        return new StrataEnvironment(variables, Path.of("/nonexistent/osbs.conf"), Path.of("/nonexistent"));
    }

    @Test
    void aServiceNamedByFlagOrVariableIsSeen() {
        assertThat(RemoteWarmUp.namesService(environment(Map.of()), "build", "--server", "http://127.0.0.1:1")).isTrue();
        assertThat(RemoteWarmUp.namesService(environment(Map.of()), "build", "--server=http://127.0.0.1:1")).isTrue();
        assertThat(RemoteWarmUp.namesService(environment(Map.of("STRATA_SERVER", "http://127.0.0.1:1")), "build")).isTrue();
    }

    @Test
    void aLocalCommandIsLeftAlone() {
        assertThat(RemoteWarmUp.namesService(environment(Map.of()), "build", "--server-token", "t")).isFalse();
        assertThat(RemoteWarmUp.namesService(environment(Map.of("STRATA_SERVER", " ")), "build")).isFalse();
        assertThat(RemoteWarmUp.namesService(environment(Map.of()), "build", "--git-uri", "--server")).isTrue();
    }

    /** The warm-up reads a state event as the build's stream sends one; one it could not read would warm nothing, silently. */
    @Test
    void theWarmUpsStateEventIsReadBackAsWritten() throws Exception {
        var event = new io.strata.server.api.StreamEvent.State("20000101-000000-000000", 3,
                io.strata.core.build.BuildState.RUNNING, java.time.Instant.parse("2026-12-03T12:00:00Z"));

        assertThat(RemoteBuildService.readStateEvent(io.strata.server.api.ApiJson.writeCompact(event))).isEqualTo(event);
    }
}
