package io.strata.core.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What RUN steps of a build may reach on the network: nothing ({@code none}, hermetic), exactly
 * the hosts the build needs ({@code allowlist}: its yum repositories, the registry and the
 * configured {@code strata_build_network_allow}), or everything ({@code open}). The wire name is
 * the lower-case constant name, as in {@code network_policy} and {@code --network-policy}.
 */
public enum NetworkPolicy {
    NONE, ALLOWLIST, OPEN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy spelled {@code text} (any case, surrounding blanks ignored), or empty. */
    public static Optional<NetworkPolicy> byName(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(policy -> policy.wireName().equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return wireName();
    }
}
