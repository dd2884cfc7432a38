package io.strata.worker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.request.NetworkPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A build's namespace, link and rules, made in batches (one {@code ip -batch} per side, one
 * {@code iptables-restore} for every rule) and removed the same way, on this machine (root): what
 * the batches make is what the rules and removal by name expect, and nothing is left behind. The
 * end-to-end proof that the rules do what they say is BuildNetworkIT of strata-cli.
 */
class BuildNetworkBatchesIT {
    @Test
    void theBatchesMakeEveryRuleAndLinkAndRemovalLeavesNothing() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        NetworkGrant grant = new NetworkGrant(NetworkPolicy.ALLOWLIST,
                List.of(new AllowedEndpoint("repo.example", "192.0.2.7", 8080, "yum repo")));

        try (BuildNetwork network = BuildNetwork.create(id, grant)) {
            String rules = HostCommands.require(List.of("iptables-save"));
            assertThat(rules).contains(":" + names.chain() + " ")
                    .contains("-A " + names.chain() + " -p tcp -j REJECT --reject-with tcp-reset");
            assertThat(rules.lines().filter(line -> line.startsWith("-A " + names.chain() + " ")
                    && line.contains("192.0.2.7/32") && line.contains("--dport 8080") && line.endsWith("-j ACCEPT")))
                    .hasSize(1);
            assertThat(rules.lines().filter(line -> line.contains("--comment " + names.namespace() + " ")))
                    .as("INPUT, two FORWARD and the nat rule carry the build's comment").hasSize(4);
            assertThat(Path.of("/sys/class/net", names.hostLink())).exists();
            assertThat(HostCommands.require(List.of("ip", "-n", names.namespace(), "-o", "route", "show")))
                    .startsWith("default via " + BuildNetwork.POOL + ".");
            assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/conf", names.hostLink(), "forwarding")).strip())
                    .isEqualTo("1");
        }

        assertThat(HostCommands.require(List.of("iptables-save"))).doesNotContain(names.namespace())
                .doesNotContain(names.chain());
        assertThat(Path.of("/sys/class/net", names.hostLink())).doesNotExist();
        assertThat(Path.of("/run/netns", names.namespace())).doesNotExist();
        assertThat(BuildNetwork.removeOf(id)).as("nothing left to remove").isFalse();
    }
}
