package io.strata.worker.network;

/**
 * One address and TCP port RUN steps of an allowlist build may reach.
 *
 * @param host    the name as the build uses it (a DNS name, or the address itself)
 * @param address the IPv4 address Strata resolved it to before the build, pinned for the build
 * @param port    the TCP port
 * @param source  why it is allowed: {@code yum repo}, {@code registry} or {@code configuration}
 */
public record AllowedEndpoint(String host, String address, int port, String source) {
    /** Whether the host is a name the build must have pinned (not an address literal). */
    public boolean named() {
        return !host.equals(address);
    }

    /** {@code host:port (address, source)} as recorded. */
    public String describe() {
        return host + ":" + port + (named() ? " (" + address + ")" : "") + " [" + source + "]";
    }
}
