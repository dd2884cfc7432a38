package io.strata.worker.supply;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One operating-system package installed in an image.
 *
 * @param type    {@code deb} or {@code rpm}: the package URL type
 * @param distro  the package URL namespace: the image's os-release ID (debian, ubuntu, fedora, ...)
 * @param name    package name
 * @param version full version as the package manager prints it (rpm: [epoch:]version-release)
 * @param arch    package architecture, e.g. amd64, x86_64, all, noarch
 */
public record OsPackage(String type, String distro, String name, String version, String arch) {
    public OsPackage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** The package URL (purl spec): {@code pkg:deb/debian/bash@5.2.15-2+b7?arch=amd64}. */
    public String purl() {
        StringBuilder purl = new StringBuilder("pkg:").append(type).append('/');
        if (distro != null && !distro.isBlank()) {
            purl.append(encode(distro)).append('/');
        }
        purl.append(encode(name)).append('@').append(encode(version));
        if (arch != null && !arch.isBlank()) {
            purl.append("?arch=").append(encode(arch));
        }
        return purl.toString();
    }

    private static String encode(String part) {
        // purl percent-encodes like a URL path segment: '+' must not become a space for readers.
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%2B").replace("%3A", ":");
    }
}
