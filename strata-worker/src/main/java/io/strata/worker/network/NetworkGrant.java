package io.strata.worker.network;

import io.strata.core.request.NetworkPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network a build got: its policy and, for allowlist, the endpoints in effect. Recorded in the
 * build log and the Koji metadata.
 */
public record NetworkGrant(NetworkPolicy policy, List<AllowedEndpoint> allowed) {
    public NetworkGrant {
        allowed = List.copyOf(allowed);
    }

    public static NetworkGrant of(NetworkPolicy policy) {
        return new NetworkGrant(policy, List.of());
    }

    /** Name -> address of every named endpoint: the build's /etc/hosts entries (so DNS is never needed). */
    public Map<String, String> pinnedHosts() {
        Map<String, String> hosts = new LinkedHashMap<>();
        allowed.stream().filter(AllowedEndpoint::named).forEach(e -> hosts.putIfAbsent(e.host(), e.address()));
        return hosts;
    }

    /** One line for the build log. */
    public String describe() {
        return switch (policy) {
            case NONE -> "network policy none: RUN steps have no network";
            case OPEN -> "network policy open: RUN steps reach any address this machine routes to";
            case ALLOWLIST -> "network policy allowlist: RUN steps reach only " + (allowed.isEmpty() ? "nothing"
                    : String.join(", ", allowed.stream().map(AllowedEndpoint::describe).toList()));
        };
    }
}
