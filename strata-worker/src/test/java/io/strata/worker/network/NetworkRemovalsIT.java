package io.strata.worker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.request.NetworkPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The removal buildah_build leaves running while tag_and_push pushes: once {@code awaitRemoval}
 * returns, nothing of the build's network is left (tag_and_push relies on it to end the build clean).
 */
class NetworkRemovalsIT {
    @Test
    void awaitRemovalReturnsOnlyOnceRulesLinkAndNamespaceAreGone() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        NetworkGrant grant = new NetworkGrant(NetworkPolicy.ALLOWLIST,
                List.of(new AllowedEndpoint("repo.example", "192.0.2.9", 8080, "yum repo")));
        NetworkRemovals removals = new NetworkRemovals();
        BuildNetwork network = BuildNetwork.create(id, grant);
        assertThat(Path.of("/run/netns", names.namespace())).exists();
        assertThat(Path.of("/sys/class/net", names.hostLink())).exists();

        removals.removeInBackground(id, network);
        removals.awaitRemoval(id);

        assertThat(HostCommands.require(List.of("iptables-save"))).doesNotContain(names.namespace())
                .doesNotContain(names.chain());
        assertThat(Path.of("/sys/class/net", names.hostLink())).doesNotExist();
        assertThat(Path.of("/run/netns", names.namespace())).doesNotExist();
        assertThat(BuildNetwork.removeOf(id)).as("nothing left to remove").isFalse();
        // Waiting again, or for a build whose network was never handed over, returns at once.
        removals.awaitRemoval(id);
        removals.awaitRemoval(BuildId.next(Clock.systemUTC()));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
