package io.strata.core.config.reactor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-cluster build policy: atomic-reactor's {@code config.yaml}, held in the ConfigMap named by
 * {@code reactor_config_map}. Read and schema-checked by {@link ReactorConfigLoader}; the schema
 * is {@link ReactorConfigLoader#SCHEMA} and docs/configuration.md describes every key.
 */
public record ReactorConfig(
        int version,
        Map<String, List<Cluster>> clusters,
        Optional<Koji> koji,
        Optional<Openshift> openshift,
        Optional<SourceRegistry> sourceRegistry,
        List<Registry> registries,
        List<PlatformDescriptor> platformDescriptors,
        List<String> requiredLabels,
        Map<String, String> imageLabels,
        List<List<String>> imageEqualLabels,
        Optional<String> defaultImageBuildMethod,
        Map<String, String> buildImageOverride,
        List<String> contentVersions,
        Optional<String> imageLabelInfoUrlFormat) {

    public ReactorConfig {
        clusters = Map.copyOf(Objects.requireNonNullElse(clusters, Map.of()));
        koji = Objects.requireNonNullElse(koji, Optional.empty());
        openshift = Objects.requireNonNullElse(openshift, Optional.empty());
        sourceRegistry = Objects.requireNonNullElse(sourceRegistry, Optional.empty());
        registries = List.copyOf(Objects.requireNonNullElse(registries, List.of()));
        platformDescriptors = List.copyOf(Objects.requireNonNullElse(platformDescriptors, List.of()));
        requiredLabels = List.copyOf(Objects.requireNonNullElse(requiredLabels, List.of()));
        imageLabels = Map.copyOf(Objects.requireNonNullElse(imageLabels, Map.of()));
        imageEqualLabels = Objects.requireNonNullElse(imageEqualLabels, List.<List<String>>of()).stream()
                .map(List::copyOf).toList();
        defaultImageBuildMethod = Objects.requireNonNullElse(defaultImageBuildMethod, Optional.empty());
        buildImageOverride = Map.copyOf(Objects.requireNonNullElse(buildImageOverride, Map.of()));
        contentVersions = List.copyOf(Objects.requireNonNullElse(contentVersions, List.of()));
        imageLabelInfoUrlFormat = Objects.requireNonNullElse(imageLabelInfoUrlFormat, Optional.empty());
    }

    /** A worker cluster for one platform. */
    public record Cluster(String name, int maxConcurrentBuilds, Optional<Boolean> enabled) {
        public Cluster {
            enabled = Objects.requireNonNullElse(enabled, Optional.empty());
        }

        /** Clusters are enabled unless they say otherwise. */
        public boolean active() {
            return enabled.orElse(true);
        }
    }

    public record Koji(String hubUrl, String rootUrl, Optional<KojiAuth> auth) {
        public Koji {
            auth = Objects.requireNonNullElse(auth, Optional.empty());
        }
    }

    /** How to log in to Koji: SSL certificates or Kerberos (paths, never the secrets themselves). */
    public record KojiAuth(Optional<String> proxyuser, Optional<String> sslCertsDir, Optional<String> krbPrincipal,
                           Optional<String> krbKeytabPath) {
        public KojiAuth {
            proxyuser = Objects.requireNonNullElse(proxyuser, Optional.empty());
            sslCertsDir = Objects.requireNonNullElse(sslCertsDir, Optional.empty());
            krbPrincipal = Objects.requireNonNullElse(krbPrincipal, Optional.empty());
            krbKeytabPath = Objects.requireNonNullElse(krbKeytabPath, Optional.empty());
        }
    }

    public record Openshift(String url, Optional<Boolean> insecure, Optional<String> buildJsonDir) {
        public Openshift {
            insecure = Objects.requireNonNullElse(insecure, Optional.empty());
            buildJsonDir = Objects.requireNonNullElse(buildJsonDir, Optional.empty());
        }
    }

    public record SourceRegistry(String url, Optional<Boolean> insecure) {
        public SourceRegistry {
            insecure = Objects.requireNonNullElse(insecure, Optional.empty());
        }
    }

    /** A registry images are pushed to; {@code auth.cfg_path} is a directory holding a dockercfg. */
    public record Registry(String url, Optional<Boolean> insecure, Optional<RegistryAuth> auth,
                           List<String> expectedMediaTypes) {
        public Registry {
            insecure = Objects.requireNonNullElse(insecure, Optional.empty());
            auth = Objects.requireNonNullElse(auth, Optional.empty());
            expectedMediaTypes = List.copyOf(Objects.requireNonNullElse(expectedMediaTypes, List.of()));
        }
    }

    public record RegistryAuth(String cfgPath) {}

    public record PlatformDescriptor(String platform, String architecture, Optional<Boolean> enableV1) {
        public PlatformDescriptor {
            enableV1 = Objects.requireNonNullElse(enableV1, Optional.empty());
        }
    }
}
