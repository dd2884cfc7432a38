package io.strata.worker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
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

    @Test
    void theDeletionsOfTheRulesItAddedAreAcceptedWholeAndLeaveNoneOfThem() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        BuildNetwork network = BuildNetwork.create(id, GRANT);

        // What close() sends, sent by hand: require() fails the test if iptables refuses any of it.
        HostCommands.require(List.of("iptables-restore", "--noflush"),
                BuildNetwork.deletionsOf(network.rulesAdded().orElseThrow(), names));

        assertThat(HostCommands.require(List.of("iptables-save"))).doesNotContain(names.namespace())
                .doesNotContain(names.chain());
        assertThat(Path.of("/sys/class/net", names.hostLink())).as("the links are close()'s").exists();
        network.close();
        assertNothingLeft(id, names);
    }

    @Test
    void madeAgainOverAnEarlierRunsLinksAndRulesItReplacesThem() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        BuildNetwork.create(id, GRANT); // an earlier run of the build that died without removing it
        try (BuildNetwork again = BuildNetwork.create(id, GRANT)) {
            assertThat(commentedRules(names)).as("the earlier run's rules were removed first").hasSize(4);
        }
        assertNothingLeft(id, names);
    }

    @Test
    void madeAgainOverAnEarlierRunsRulesAloneEveryRuleGoesAtTheEnd() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        BuildNetwork.create(id, GRANT);
        // An earlier run that died between its rules and its links: no namespace, no link, the rules.
        HostCommands.require(List.of("ip", "-force", "-batch", "-"), "link del " + names.hostLink() + "\nnetns del "
                + names.namespace() + "\n");
        try (BuildNetwork again = BuildNetwork.create(id, GRANT)) {
            String rules = HostCommands.require(List.of("iptables-save"));
            assertThat(rules.lines().filter(line -> line.startsWith("-A " + names.chain() + " ")))
                    .as("the build's chain was emptied and filled again, not doubled").hasSize(3);
            assertThat(Path.of("/sys/class/net", names.hostLink())).exists();
        }
        assertNothingLeft(id, names);
    }

    @Test
    void aSubnetHeldByAnInterfaceThatIsDownIsNotChosen() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        String firstChoice;
        try (BuildNetwork network = BuildNetwork.create(id, GRANT)) {
            firstChoice = hostAddress(names);
        }
        String holder = "sbt" + names.hostLink().substring(2);
        HostCommands.require(List.of("ip", "-batch", "-"), "link add " + holder + " type veth peer name sbp" + names.hostLink().substring(2) + "\n"
                + "addr add " + firstChoice + "/30 dev " + holder + "\n");
        try (BuildNetwork network = BuildNetwork.create(id, GRANT)) {
            assertThat(hostAddress(names)).as("the subnet the build id picks first is in use").isNotEqualTo(firstChoice);
        } finally {
            HostCommands.run(List.of("ip", "link", "del", holder));
        }
        assertNothingLeft(id, names);
    }

    private static final NetworkGrant GRANT = new NetworkGrant(NetworkPolicy.ALLOWLIST,
            List.of(new AllowedEndpoint("repo.example", "192.0.2.7", 8080, "yum repo")));

    private static List<String> commentedRules(NetworkNames names) throws Exception {
        return HostCommands.require(List.of("iptables-save")).lines()
                .filter(line -> line.contains("--comment " + names.namespace() + " ")).toList();
    }

    @Test
    void rulesThatAreRefusedFailTheSetUpAndTheLinksMadeBesideThemGo() throws Exception {
        BuildId id = BuildId.next(Clock.systemUTC());
        NetworkNames names = NetworkNames.of(id);
        // No address iptables accepts: its restore fails while the links are being made beside it.
        NetworkGrant refused = new NetworkGrant(NetworkPolicy.ALLOWLIST,
                List.of(new AllowedEndpoint("repo.example", "300.0.2.7", 8080, "yum repo")));

        assertThatThrownBy(() -> BuildNetwork.create(id, refused)).isInstanceOf(StrataException.class)
                .hasMessageContaining("cannot set up the network namespace " + names.namespace())
                .hasMessageContaining("iptables-restore --noflush")
                .satisfies(e -> assertThat(((StrataException) e).reason()).isEqualTo("NETWORK_SETUP_FAILED"));

        assertNothingLeft(id, names);
    }

    /** The host end's IPv4 address, as {@code ip} prints it. */
    private static String hostAddress(NetworkNames names) throws Exception {
        String shown = HostCommands.require(List.of("ip", "-o", "-4", "addr", "show", "dev", names.hostLink()));
        return shown.replaceFirst("^.*\\sinet\\s+([0-9.]+)/.*$", "$1");
    }

    private static void assertNothingLeft(BuildId id, NetworkNames names) throws Exception {
        assertThat(HostCommands.require(List.of("iptables-save"))).doesNotContain(names.namespace())
                .doesNotContain(names.chain());
        assertThat(Path.of("/sys/class/net", names.hostLink())).doesNotExist();
        assertThat(Path.of("/run/netns", names.namespace())).doesNotExist();
        assertThat(BuildNetwork.removeOf(id)).as("nothing left to remove").isFalse();
    }
}
