package io.strata.cli.serve;

import io.strata.core.StrataException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code HOST:PORT} of {@code strata serve --listen}: a host name or IPv4 address, or {@code [IPv6]}, and a port 0..65535 (0: any free one). */
record ListenAddress(String host, int port) {
    static final String DEFAULT = "127.0.0.1:8240";
    static final String INVALID = "LISTEN_ADDRESS_INVALID";
    private static final Pattern FORM = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");

    static ListenAddress parse(String text) throws StrataException {
        Matcher m = FORM.matcher(text.strip());
        int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (port < 0 || port > 65535) {
            throw new StrataException(INVALID, "'" + text + "' is not an address to listen on",
                    "give HOST:PORT, e.g. --listen 127.0.0.1:8240 or --listen 0.0.0.0:8240 (port 0: any free port)");
        }
        String host = m.group(1);
        return new ListenAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }
}
