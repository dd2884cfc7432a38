package io.strata.core.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code host:port} a build may reach ({@code strata_build_network_allow}): a DNS name or an
 * IPv4 address, and a TCP port.
 */
public record HostPort(String host, int port) {
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$");

    public HostPort {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IPv4 address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is not in 1-65535");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /** {@code host:port, host2:port2} (commas or blanks between); IllegalArgumentException naming the bad entry. */
    public static List<HostPort> parseList(String raw) {
        return ConfigValues.parseList(raw).stream().map(HostPort::parse).toList();
    }

    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        try {
            return new HostPort(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no port number after ':'");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
