package io.strata.worker.network;

import io.strata.core.build.BuildId;

/**
 * Every name a build's network uses, derived from the build id alone so that whoever finds a dead
 * build (the reconcile of killed builds) finds its namespace, interface and rules too.
 *
 * @param namespace the network namespace ({@code ip netns}), also the comment on every rule in a built-in chain
 * @param hostLink  the host end of the veth pair: at most 15 characters, the kernel's limit
 * @param chain     the build's own iptables chain (at most 28 characters)
 */
public record NetworkNames(String namespace, String hostLink, String chain) {
    /** The end of the veth pair inside the namespace; the namespace is the build's own, so it cannot clash. */
    static final String BUILD_LINK = "eth0";

    public static NetworkNames of(BuildId id) {
        // 20261201-183321-abcdef: the time of day and the random part identify a build well enough for a link name.
        String value = id.value();
        return new NetworkNames("strata-" + value, "sb" + value.substring(9, 15) + value.substring(16), "SB-" + value);
    }
}
