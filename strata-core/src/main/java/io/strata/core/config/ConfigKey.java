package io.strata.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key Strata reads from an osbs.conf-style file: its section, type, default and meaning.
 * The names and defaults are osbs-client's, so an existing {@code /etc/osbs.conf} works unchanged.
 * The per-platform node selectors ({@code node_selector.ARCH}) are a key family, not a constant:
 * see {@link #NODE_SELECTOR_PREFIX}.
 */
public enum ConfigKey {
    // [general]
    BUILD_JSON_DIR("build_json_dir", Scope.GENERAL, ValueType.STRING, "/usr/share/osbs/",
            "directory holding the build templates; passed to workers in USER_PARAMS"),
    VERBOSE("verbose", Scope.GENERAL, ValueType.BOOLEAN, "false", "log more"),
    OPENSHIFT_REQUIRED_VERSION("openshift_required_version", Scope.GENERAL, ValueType.STRING, null,
            "minimum OpenShift version the cluster must run"),

    // instance sections
    OPENSHIFT_URL("openshift_url", Scope.INSTANCE, ValueType.STRING, null,
            "root URL of the OpenShift/Kubernetes API server, e.g. https://openshift.example.com:8443/"),
    NAMESPACE("namespace", Scope.INSTANCE, ValueType.STRING, "default", "namespace builds are created in"),
    VERIFY_SSL("verify_ssl", Scope.INSTANCE, ValueType.BOOLEAN, "true", "verify the API server's TLS certificate"),
    USE_AUTH("use_auth", Scope.INSTANCE, ValueType.BOOLEAN, "true", "authenticate to the API server"),
    USERNAME("username", Scope.INSTANCE, ValueType.STRING, null, "user for basic authentication"),
    PASSWORD("password", Scope.INSTANCE, ValueType.SECRET, null, "password for basic authentication (never printed)"),
    TOKEN("token", Scope.INSTANCE, ValueType.SECRET, null, "OAuth bearer token; wins over token_file (never printed)"),
    TOKEN_FILE("token_file", Scope.INSTANCE, ValueType.STRING, null, "file holding the OAuth bearer token"),
    USE_KERBEROS("use_kerberos", Scope.INSTANCE, ValueType.BOOLEAN, "false", "authenticate with Kerberos"),
    BUILD_IMAGE("build_image", Scope.INSTANCE, ValueType.STRING, "buildroot:latest",
            "image the build runs in (customStrategy.from)"),
    BUILD_TYPE("build_type", Scope.INSTANCE, ValueType.STRING, "prod", "build template family"),
    AUTHORITATIVE_REGISTRY("authoritative_registry", Scope.INSTANCE, ValueType.STRING, null,
            "value of the authoritative-source-url label"),
    REGISTRY_URI("registry_uri", Scope.INSTANCE, ValueType.STRING, null,
            "registry images are pushed to, e.g. https://registry.example.com/v2"),
    REGISTRY_API_VERSIONS("registry_api_versions", Scope.INSTANCE, ValueType.LIST, "v1,v2",
            "registry API versions to use, comma-separated"),
    SOURCE_REGISTRY_URI("source_registry_uri", Scope.INSTANCE, ValueType.STRING, null,
            "registry base images are pulled from"),
    REGISTRY_SECRET("registry_secret", Scope.INSTANCE, ValueType.LIST, null,
            "secrets holding push credentials (comma-separated), mounted into builds"),
    CLIENT_CONFIG_SECRET("client_config_secret", Scope.INSTANCE, ValueType.STRING, null,
            "secret holding the osbs.conf the orchestrator uses for worker builds, mounted into builds"),
    KOJI_HUB("koji_hub", Scope.INSTANCE, ValueType.STRING, null, "Koji hub XML-RPC URL"),
    KOJI_ROOT("koji_root", Scope.INSTANCE, ValueType.STRING, null, "Koji files root URL"),
    KOJI_CERTS_SECRET("koji_certs_secret", Scope.INSTANCE, ValueType.STRING, null,
            "secret holding Koji client certificates, mounted into builds"),
    DISTRIBUTION_SCOPE("distribution_scope", Scope.INSTANCE, ValueType.CHOICE, "private",
            "value of the distribution-scope label", "private", "authoritative-source-only", "restricted", "public"),
    VENDOR("vendor", Scope.INSTANCE, ValueType.STRING, "", "value of the vendor label; empty sets none"),
    SOURCES_COMMAND("sources_command", Scope.INSTANCE, ValueType.STRING, null,
            "command fetching lookaside sources, e.g. 'fedpkg sources'"),
    REACTOR_CONFIG_MAP("reactor_config_map", Scope.INSTANCE, ValueType.STRING, null,
            "ConfigMap holding the reactor configuration (key config.yaml)"),
    CAN_ORCHESTRATE("can_orchestrate", Scope.INSTANCE, ValueType.BOOLEAN, "false", "allow orchestrator builds"),
    ARRANGEMENT_VERSION("arrangement_version", Scope.INSTANCE, ValueType.INTEGER, "6",
            "version of the step arrangement (plan template)"),
    SCRATCH_BUILD_NODE_SELECTOR("scratch_build_node_selector", Scope.INSTANCE, ValueType.NODE_SELECTOR, null,
            "node selector for scratch builds, 'key=value, ...' or 'none'"),
    EXPLICIT_BUILD_NODE_SELECTOR("explicit_build_node_selector", Scope.INSTANCE, ValueType.NODE_SELECTOR, null,
            "node selector for builds started by a person"),
    AUTO_BUILD_NODE_SELECTOR("auto_build_node_selector", Scope.INSTANCE, ValueType.NODE_SELECTOR, null,
            "node selector for autorebuilds"),
    ISOLATED_BUILD_NODE_SELECTOR("isolated_build_node_selector", Scope.INSTANCE, ValueType.NODE_SELECTOR, null,
            "node selector for isolated builds"),
    CPU_LIMIT("cpu_limit", Scope.INSTANCE, ValueType.STRING, null, "CPU limit of a build, e.g. 2 or 500m"),
    MEMORY_LIMIT("memory_limit", Scope.INSTANCE, ValueType.STRING, null, "memory limit of a build, e.g. 4Gi"),
    STORAGE_LIMIT("storage_limit", Scope.INSTANCE, ValueType.STRING, null,
            "ephemeral storage limit of a build, e.g. 20Gi"),
    WORKER_MAX_RUN_HOURS("worker_max_run_hours", Scope.INSTANCE, ValueType.INTEGER, "3",
            "a worker build is cancelled after this many hours"),
    ORCHESTRATOR_MAX_RUN_HOURS("orchestrator_max_run_hours", Scope.INSTANCE, ValueType.INTEGER, "4",
            "an orchestrator build is cancelled after this many hours"),

    // Strata's own keys, in the instance section
    STRATA_ENGINE("strata_engine", Scope.INSTANCE, ValueType.CHOICE, "local",
            "where worker builds run", "local", "kubernetes", "openshift", "dry-run"),
    STRATA_STORE_URL("strata_store_url", Scope.INSTANCE, ValueType.STRING, null,
            "JDBC URL of the build store; default an embedded SQLite database under strata_home"),
    STRATA_REGISTRY_AUTH_FILE("strata_registry_auth_file", Scope.INSTANCE, ValueType.STRING, null,
            "docker/podman auth.json with registry credentials"),
    STRATA_CONCURRENCY("strata_concurrency", Scope.INSTANCE, ValueType.INTEGER, "2",
            "builds run at once on this machine"),
    STRATA_HOME("strata_home", Scope.INSTANCE, ValueType.STRING, null,
            "state directory; default $STRATA_HOME, else ~/.local/share/strata"),
    STRATA_BUILDAH_ROOT("strata_buildah_root", Scope.INSTANCE, ValueType.STRING, null,
            "private buildah storage (root/ and runroot/ below it, vfs driver); default the system's storage"),
    STRATA_REGISTRY_RETRY_TIMEOUT("strata_registry_retry_timeout", Scope.INSTANCE, ValueType.INTEGER, "180",
            "seconds a push, pull or manifest call is tried again while the registry is unreachable, answers 5xx or 429"),
    STRATA_DRY_RUN_DELAY("strata_dry_run_delay", Scope.INSTANCE, ValueType.STRING, "2s",
            "time each build of the dry-run engine spends RUNNING: a number with ms, s, m or h, e.g. 500ms, 2s, 1m"),
    STRATA_BUILD_ATTEMPTS("strata_build_attempts", Scope.INSTANCE, ValueType.INTEGER, "3",
            "times a queued build is run at most: a worker that failed transiently or died with its process is tried again, with backoff"),
    STRATA_BUILD_NETWORK("strata_build_network", Scope.INSTANCE, ValueType.CHOICE, "allowlist",
            "network policy of a build that asks for none: none (no network), allowlist (only the yum repos, the registry"
                    + " and strata_build_network_allow) or open", "none", "allowlist", "open"),
    STRATA_BUILD_NETWORK_PERMIT("strata_build_network_permit", Scope.INSTANCE, ValueType.LIST, "none,allowlist",
            "network policies a build request may ask for (network_policy, --network-policy), comma-separated",
            "none", "allowlist", "open"),
    STRATA_BUILD_NETWORK_ALLOW("strata_build_network_allow", Scope.INSTANCE, ValueType.LIST, null,
            "host:port,... that RUN steps of an allowlist build may reach besides the yum repos and the registry"),
    STRATA_DEMO_BASE_IMAGE("strata_demo_base_image", Scope.INSTANCE, ValueType.STRING, null,
            "base image strata demo builds on when registry_uri is set (any image with /bin/sh); without registry_uri the demo makes one"),
    STRATA_SERVER_URL("strata_server_url", Scope.INSTANCE, ValueType.STRING, null,
            "build service (strata serve) the build verbs go to, e.g. http://build.example.com:8240; $STRATA_SERVER and --server win; none: this machine"),
    STRATA_SERVER_TOKEN_FILE("strata_server_token_file", Scope.INSTANCE, ValueType.STRING, null,
            "file (mode 0600) holding the API token for strata_server_url; $STRATA_SERVER_TOKEN and --server-token win"),
    GROUP_MANIFESTS("group_manifests", Scope.INSTANCE, ValueType.BOOLEAN, "false",
            "a multi-platform build's image index is a docker manifest list (schema 2) instead of an OCI image index"),
    // operating the service (issue 10)
    STRATA_QUEUE_MAX_PENDING("strata_queue_max_pending", Scope.INSTANCE, ValueType.INTEGER, "1000",
            "builds that may wait PENDING at once; a submission beyond is refused (HTTP 429 with Retry-After, QUEUE_FULL)"),
    STRATA_PRUNE_INTERVAL("strata_prune_interval", Scope.INSTANCE, ValueType.STRING, "24h",
            "how often strata serve prunes finished builds older than strata_prune_keep: a number with ms, s, m, h or d; 0: never"),
    STRATA_PRUNE_KEEP("strata_prune_keep", Scope.INSTANCE, ValueType.STRING, "720h",
            "finished builds younger than this are kept by the scheduled prune: a number with ms, s, m, h or d, e.g. 720h"),
    STRATA_AUTOREBUILD_INTERVAL("strata_autorebuild_interval", Scope.INSTANCE, ValueType.INTEGER, "300",
            "seconds between two looks of strata serve at the parent images of the autorebuild policies"),
    STRATA_AUTOREBUILD_REGISTRY_RATE("strata_autorebuild_registry_rate", Scope.INSTANCE, ValueType.INTEGER, "6",
            "registry requests per minute at most, per registry, when looking at parent images for autorebuild"),
    // Supply chain (docs/supply-chain.md)
    STRATA_BUILD_DATE("strata_build_date", Scope.INSTANCE, ValueType.CHOICE, "source",
            "what the build-date label says: source (the commit's time, so a rebuild gives the same digest) or wallclock"
                    + " (when the build ran; every build then has a digest of its own)", "source", "wallclock"),
    STRATA_SIGNING_KEY("strata_signing_key", Scope.INSTANCE, ValueType.STRING, null,
            "PEM file of an ECDSA P-256 private key (PKCS#8, unencrypted) that signs each image's provenance as a DSSE"
                    + " envelope; unset: the provenance is pushed unsigned"),
    STRATA_VERIFY_KEY("strata_verify_key", Scope.INSTANCE, ValueType.STRING, null,
            "PEM file of the ECDSA P-256 public key strata verify checks provenance signatures with; --key wins"),
    STRATA_BUILDER("strata_builder", Scope.INSTANCE, ValueType.CHOICE, "auto",
            "who builds a stage that only copies files and sets metadata: auto (Strata assembles it itself, docs/builds.md"
                    + " \"Direct assembly\"; anything else goes to buildah) or buildah (always buildah)", "auto", "buildah"),
    // cluster engines (docs/cluster.md)
    STRATA_KUBECONFIG("strata_kubeconfig", Scope.INSTANCE, ValueType.STRING, null,
            "kubeconfig of the kubernetes/openshift engines; unset: $KUBECONFIG, ~/.kube/config, or the pod's service account"),
    STRATA_WORKER_TOLERATIONS("strata_worker_tolerations", Scope.INSTANCE, ValueType.LIST, null,
            "tolerations of worker pods, comma-separated key[=value]:Effect, e.g. builds=true:NoSchedule"),
    STRATA_WORKER_PENDING_TIMEOUT("strata_worker_pending_timeout", Scope.INSTANCE, ValueType.INTEGER, "600",
            "seconds a worker pod may stay Pending (unschedulable, waiting for its image) before its build fails WORKER_POD_PENDING_TIMEOUT"),

    // [platform:NAME] sections
    ARCHITECTURE("architecture", Scope.PLATFORM, ValueType.STRING, null,
            "GOARCH name of the platform, e.g. amd64 for x86_64"),
    ENABLE_V1("enable_v1", Scope.PLATFORM, ValueType.BOOLEAN, "false", "push registry API v1 for this platform"),
    MAX_CONCURRENT_BUILDS("max_concurrent_builds", Scope.PLATFORM, ValueType.INTEGER, null,
            "queued builds of this platform run at once at most, over all engines; unset: only strata_concurrency limits them");

    /** {@code node_selector.ARCH} in an instance section: the node selector for ARCH's worker builds. */
    public static final String NODE_SELECTOR_PREFIX = "node_selector.";

    /** osbs-client's older spelling of {@code openshift_url}; read, with a warning. */
    public static final String DEPRECATED_OPENSHIFT_URI = "openshift_uri";

    /** Which section a key lives in. */
    public enum Scope { GENERAL, INSTANCE, PLATFORM }

    /** How a value is read; the parsing lives in {@link ConfigValues}. */
    public enum ValueType { STRING, SECRET, BOOLEAN, INTEGER, LIST, NODE_SELECTOR, CHOICE }

    private static final Map<String, ConfigKey> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ConfigKey::key, Function.identity()));

    private final String key;
    private final Scope scope;
    private final ValueType type;
    private final String defaultValue;
    private final String description;
    private final List<String> choices;

    ConfigKey(String key, Scope scope, ValueType type, String defaultValue, String description, String... choices) {
        this.key = key;
        this.scope = scope;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.choices = List.of(choices);
    }

    public String key() { return key; }
    public Scope scope() { return scope; }
    public ValueType type() { return type; }
    public Optional<String> defaultValue() { return Optional.ofNullable(defaultValue); }
    public String description() { return description; }
    /** The allowed values of a {@link ValueType#CHOICE} key, or of each element of a LIST key; empty for any. */
    public List<String> choices() { return choices; }

    public boolean secret() {
        return type == ValueType.SECRET;
    }

    /**
     * The environment variable overriding this key: {@code STRATA_} plus the key in upper case,
     * without a doubled prefix ({@code registry_uri} -> {@code STRATA_REGISTRY_URI},
     * {@code strata_store_url} -> {@code STRATA_STORE_URL}). Platform keys have none.
     */
    public Optional<String> environmentVariable() {
        if (scope == Scope.PLATFORM) {
            return Optional.empty();
        }
        String bare = key.startsWith("strata_") ? key.substring("strata_".length()) : key;
        return Optional.of("STRATA_" + bare.toUpperCase(Locale.ROOT));
    }

    /** The key with this name (case-insensitive, as configparser reads keys). */
    public static Optional<ConfigKey> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The node selector key of one build kind. */
    public static ConfigKey nodeSelectorFor(BuildKind kind) {
        return switch (kind) {
            case SCRATCH -> SCRATCH_BUILD_NODE_SELECTOR;
            case EXPLICIT -> EXPLICIT_BUILD_NODE_SELECTOR;
            case AUTO -> AUTO_BUILD_NODE_SELECTOR;
            case ISOLATED -> ISOLATED_BUILD_NODE_SELECTOR;
        };
    }
}
