package io.strata.worker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import org.junit.jupiter.api.Test;

/**
 * The batch that deletes the rules a build network added: each rule of a built-in chain deleted by its
 * specification (an inserted one without its position), the build's own chain emptied and deleted, per table.
 */
class BuildNetworkDeletionsTest {
    @Test
    void eachRuleAddedIsDeletedByItsSpecificationAndTheBuildsChainEmptiedAndDeleted() {
        NetworkNames names = NetworkNames.of(new BuildId("20261204-230000-abcdef"));
        String chain = names.chain();
        String ns = names.namespace();
        String host = names.hostLink();
        String added = String.join("\n",
                "*filter",
                ":" + chain + " - [0:0]",
                "-A " + chain + " -p tcp -d 127.0.0.1 --dport 5000 -j ACCEPT",
                "-A " + chain + " -p tcp -j REJECT --reject-with tcp-reset",
                "-I INPUT 1 -i " + host + " -m comment --comment " + ns + " -j " + chain,
                "-I FORWARD 1 -o " + host + " -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment " + ns
                        + " -j ACCEPT",
                "COMMIT",
                "*nat",
                "-A POSTROUTING -s 10.253.1.0/30 ! -o " + host + " -m comment --comment " + ns + " -j MASQUERADE",
                "COMMIT") + "\n";

        assertThat(BuildNetwork.deletionsOf(added, names)).isEqualTo(String.join("\n",
                "*filter",
                "-D INPUT -i " + host + " -m comment --comment " + ns + " -j " + chain,
                "-D FORWARD -o " + host + " -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment " + ns
                        + " -j ACCEPT",
                "-F " + chain,
                "-X " + chain,
                "COMMIT",
                "*nat",
                "-D POSTROUTING -s 10.253.1.0/30 ! -o " + host + " -m comment --comment " + ns + " -j MASQUERADE",
                "COMMIT") + "\n");
    }
}
