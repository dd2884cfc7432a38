package io.strata.worker;

import io.strata.core.StrataException;
import java.net.URI;

/**
 * Where built images are pushed, from osbs.conf's {@code registry_uri} (osbs-client writes it with
 * the API path, {@code https://host:5000/v2}; a bare {@code host:port} is accepted too).
 *
 * @param host     registry host and port, as used in image references
 * @param insecure plain http (the scheme says so); buildah then pushes with --tls-verify=false
 */
public record RegistryTarget(String host, boolean insecure) {

    public static RegistryTarget fromRegistryUri(String registryUri) throws StrataException {
        String text = registryUri.strip();
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "https://" + text);
        } catch (IllegalArgumentException e) {
            throw invalid(registryUri);
        }
        if (uri.getHost() == null) {
            throw invalid(registryUri);
        }
        String host = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        return new RegistryTarget(host, "http".equals(uri.getScheme()));
    }

    private static StrataException invalid(String registryUri) {
        return new StrataException("REGISTRY_URI_INVALID", "registry_uri '" + registryUri + "' names no registry host",
                "write it as osbs-client does, e.g. registry_uri = https://registry.example.com/v2 (http:// for a plain-HTTP registry)");
    }
}
