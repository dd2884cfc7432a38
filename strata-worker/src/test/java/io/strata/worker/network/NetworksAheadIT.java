package io.strata.worker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.request.NetworkPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Networks begun before buildah_build: the step takes the one made for its grant; every other
 * ending leaves nothing once the build has ended.
 */
class NetworksAheadIT {
    private static final NetworkGrant GRANT = new NetworkGrant(NetworkPolicy.ALLOWLIST,
            List.of(new AllowedEndpoint("repo.example", "192.0.2.9", 8080, "yum repo")));

    private final NetworkRemovals removals = new NetworkRemovals();
    private final NetworksAhead ahead = new NetworksAhead(removals);
    private final BuildId id = BuildId.next(Clock.systemUTC());

    @AfterEach
    void removeWhateverIsLeft() {
        BuildNetwork.removeOf(id);
    }

    @Test
    void theStepTakesTheNetworkMadeForItsGrant() throws Exception {
        ahead.begin(id, GRANT);
        // Begun again (the second hook): the first is kept, not made twice under one name.
        ahead.begin(id, GRANT);

        Optional<NetworksAhead.Made> made = ahead.take(id, GRANT);

        assertThat(made).isPresent();
        assertThat(Path.of("/run/netns", made.get().network().names().namespace())).exists();
        assertThat(ahead.holds(id)).isFalse();
        assertThat(ahead.take(id, GRANT)).as("taken once").isEmpty();
        // Taken, it is the step's to remove: the build's end leaves it alone.
        ahead.buildEnded(id);
        assertThat(Path.of("/run/netns", made.get().network().names().namespace())).exists();
        made.get().network().close();
        assertNothingLeft();
    }

    @Test
    void aNetworkForAnotherGrantIsRemovedAndNotTaken() throws Exception {
        ahead.begin(id, GRANT);

        Optional<NetworksAhead.Made> made = ahead.take(id, NetworkGrant.of(NetworkPolicy.OPEN));

        assertThat(made).isEmpty();
        removals.awaitRemoval(id);
        assertNothingLeft();
    }

    @Test
    void aBuildThatEndsWithoutTakingItsNetworkHasNoneLeft() throws Exception {
        ahead.begin(id, GRANT);

        ahead.buildEnded(id);

        assertThat(ahead.holds(id)).isFalse();
        assertNothingLeft();
        // Ending a build that began none returns at once.
        ahead.buildEnded(BuildId.next(Clock.systemUTC()));
    }

    private void assertNothingLeft() throws Exception {
        NetworkNames names = NetworkNames.of(id);
        assertThat(HostCommands.require(List.of("iptables-save"))).doesNotContain(names.namespace())
                .doesNotContain(names.chain());
        assertThat(Path.of("/sys/class/net", names.hostLink())).doesNotExist();
        assertThat(Path.of("/run/netns", names.namespace())).doesNotExist();
        assertThat(BuildNetwork.removeOf(id)).as("nothing left to remove").isFalse();
    }
}
