package io.strata.worker.network;

import io.strata.core.StrataException;
import io.strata.core.config.HostPort;
import io.strata.core.io.UrlCredentials;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The endpoints an allowlist build may reach, resolved before the build: the hosts of the
 * {@code baseurl}, {@code mirrorlist} and {@code metalink} URLs in its injected .repo files, the
 * registry, and {@code strata_build_network_allow}. Names are resolved here, once, to IPv4
 * addresses; the build gets them pinned and never asks DNS. A repository host that does not
 * resolve is left out with a warning (a .repo file often names repositories a build does not use,
 * and yum would fail on it just the same); a configured entry that does not resolve stops the build.
 */
public final class AllowList {
    /** Name resolution, replaceable in tests. */
    public interface Resolver {
        List<String> ipv4(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM = host -> Arrays.stream(InetAddress.getAllByName(host))
            .filter(Inet4Address.class::isInstance).map(InetAddress::getHostAddress).distinct().toList();

    private static final Set<String> URL_KEYS = Set.of("baseurl", "mirrorlist", "metalink");

    private final Resolver resolver;

    public AllowList(Resolver resolver) {
        this.resolver = resolver;
    }

    /** Every endpoint, in the order yum repos, registry, configuration, without repeats. */
    public List<AllowedEndpoint> resolve(Optional<Path> repoDir, String registryHostPort, List<HostPort> configured,
            java.util.function.Consumer<String> log) throws StrataException {
        Set<AllowedEndpoint> endpoints = new LinkedHashSet<>();
        for (HostPort repo : repoHosts(repoDir)) {
            try {
                addResolved(repo, "yum repo", endpoints);
            } catch (StrataException unresolved) {
                log.accept("warning: " + unresolved.getMessage() + "; RUN steps cannot reach " + repo);
            }
        }
        addResolved(HostPort.parse(registryHostPort.contains(":") ? registryHostPort : registryHostPort + ":443"),
                "registry", endpoints);
        for (HostPort extra : configured) {
            addResolved(extra, "configuration", endpoints);
        }
        return List.copyOf(endpoints);
    }

    private void addResolved(HostPort target, String source, Set<AllowedEndpoint> endpoints) throws StrataException {
        List<String> addresses;
        try {
            addresses = resolver.ipv4(target.host());
        } catch (UnknownHostException e) {
            addresses = List.of();
        }
        if (addresses.isEmpty()) {
            throw new StrataException("NETWORK_ALLOW_UNRESOLVED", "cannot resolve " + target.host() + " (" + source
                    + ") to an IPv4 address for the build's allow-list",
                    "check the name in " + switch (source) {
                        case "yum repo" -> "the .repo files of yum_repourls";
                        case "registry" -> "registry_uri";
                        default -> "strata_build_network_allow";
                    } + " and this machine's DNS");
        }
        addresses.forEach(address -> endpoints.add(new AllowedEndpoint(target.host(), address, target.port(), source)));
    }

    /** The host:port of every repository URL in the .repo files (INI: {@code baseurl=URL [URL...]}). */
    static List<HostPort> repoHosts(Optional<Path> repoDir) throws StrataException {
        if (repoDir.isEmpty()) {
            return List.of();
        }
        List<HostPort> hosts = new ArrayList<>();
        try (Stream<Path> files = Files.list(repoDir.get())) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && URL_KEYS.contains(line.substring(0, eq).strip().toLowerCase(Locale.ROOT))) {
                        for (String url : line.substring(eq + 1).strip().split("[,\\s]+")) {
                            hostOf(url, file).ifPresent(hosts::add);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new StrataException("NETWORK_SETUP_FAILED", "cannot read the fetched .repo files in " + repoDir.get()
                    + ": " + e.getMessage(), "check free space and permissions under STRATA_HOME", e);
        }
        return hosts;
    }

    private static Optional<HostPort> hostOf(String url, Path file) throws StrataException {
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.replace("$", "%24"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                return Optional.empty();
            }
            int port = uri.getPort() > 0 ? uri.getPort() : switch (scheme) {
                case "http" -> 80;
                case "https" -> 443;
                case "ftp" -> 21;
                default -> -1;
            };
            if (uri.getHost() == null || port < 0) {
                throw new URISyntaxException(url, "no http(s) or ftp host");
            }
            return Optional.of(new HostPort(uri.getHost(), port));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new StrataException("NETWORK_ALLOW_UNRESOLVED", "the repository URL '" + UrlCredentials.redact(url)
                    + "' in " + file.getFileName() + " names no http(s) or ftp host the build could be allowed to reach",
                    "fix the baseurl/mirrorlist/metalink in the .repo file of yum_repourls");
        }
    }
}
