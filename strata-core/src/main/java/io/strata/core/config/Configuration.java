package io.strata.core.config;

import io.strata.core.io.UrlCredentials;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolved configuration of one instance: every key after precedence (flag > environment >
 * file > default), already checked by {@link ConfigLoader}, so the typed getters cannot fail.
 * Immutable. Secrets ({@code password}, {@code token}) are reachable only through their own
 * getters; {@link #toString()} and {@link #redacted()} mask them.
 */
public final class Configuration {
    /** What secrets are replaced with wherever configuration is shown. */
    public static final String REDACTED = "<redacted>";

    private final String instance;
    private final Map<ConfigKey, String> values;
    private final Map<String, String> unknownRaw;
    private final Map<String, PlatformConfig> platforms;
    private final StrataSettings strata;

    Configuration(String instance, Map<ConfigKey, String> values, Map<String, String> unknownRaw,
                  Map<String, PlatformConfig> platforms, StrataSettings strata) {
        this.instance = Objects.requireNonNull(instance, "instance");
        EnumMap<ConfigKey, String> copy = new EnumMap<>(ConfigKey.class);
        copy.putAll(values);
        this.values = Collections.unmodifiableMap(copy);
        this.unknownRaw = Collections.unmodifiableMap(new TreeMap<>(unknownRaw));
        this.platforms = Collections.unmodifiableMap(new LinkedHashMap<>(platforms));
        this.strata = Objects.requireNonNull(strata, "strata");
    }

    /** The instance section these values come from, e.g. {@code default}. */
    public String instance() { return instance; }

    /**
     * The value of any key as written (after precedence), including keys Strata does not know and
     * secrets; for code that passes values through. Keys are case-insensitive.
     */
    public Optional<String> raw(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        return ConfigKey.byName(name).map(k -> Optional.ofNullable(values.get(k)))
                .orElseGet(() -> Optional.ofNullable(unknownRaw.get(name)));
    }

    private Optional<String> value(ConfigKey key) {
        return Optional.ofNullable(values.get(key));
    }

    private String valueOrDefault(ConfigKey key) {
        return value(key).or(key::defaultValue).orElseThrow(() -> new IllegalStateException(key + " has no default"));
    }

    private boolean bool(ConfigKey key) { return ConfigValues.parseBoolean(valueOrDefault(key)); }
    private int integer(ConfigKey key) { return ConfigValues.parsePositiveInt(valueOrDefault(key)); }

    // [general]
    public String buildJsonDir() { return valueOrDefault(ConfigKey.BUILD_JSON_DIR); }
    public boolean verbose() { return bool(ConfigKey.VERBOSE); }
    public Optional<String> openshiftRequiredVersion() { return value(ConfigKey.OPENSHIFT_REQUIRED_VERSION); }

    // cluster access
    public Optional<String> openshiftUrl() { return value(ConfigKey.OPENSHIFT_URL); }
    public String namespace() { return valueOrDefault(ConfigKey.NAMESPACE); }
    public boolean verifySsl() { return bool(ConfigKey.VERIFY_SSL); }
    public boolean useAuth() { return bool(ConfigKey.USE_AUTH); }
    public Optional<String> username() { return value(ConfigKey.USERNAME); }
    /** The basic-auth password; never log or render it. */
    public Optional<String> password() { return value(ConfigKey.PASSWORD); }
    /** The OAuth token; never log or render it. */
    public Optional<String> token() { return value(ConfigKey.TOKEN); }
    public Optional<Path> tokenFile() { return value(ConfigKey.TOKEN_FILE).map(Path::of); }
    public boolean useKerberos() { return bool(ConfigKey.USE_KERBEROS); }

    // builds
    public String buildImage() { return valueOrDefault(ConfigKey.BUILD_IMAGE); }
    public String buildType() { return valueOrDefault(ConfigKey.BUILD_TYPE); }
    public Optional<String> authoritativeRegistry() { return value(ConfigKey.AUTHORITATIVE_REGISTRY); }
    public Optional<String> registryUri() { return value(ConfigKey.REGISTRY_URI); }
    public List<String> registryApiVersions() { return ConfigValues.parseList(valueOrDefault(ConfigKey.REGISTRY_API_VERSIONS)); }
    public Optional<String> sourceRegistryUri() { return value(ConfigKey.SOURCE_REGISTRY_URI); }
    public List<String> registrySecrets() { return value(ConfigKey.REGISTRY_SECRET).map(ConfigValues::parseList).orElse(List.of()); }
    public Optional<String> clientConfigSecret() { return value(ConfigKey.CLIENT_CONFIG_SECRET); }
    public Optional<String> kojiHub() { return value(ConfigKey.KOJI_HUB); }
    public Optional<String> kojiRoot() { return value(ConfigKey.KOJI_ROOT); }
    public Optional<String> kojiCertsSecret() { return value(ConfigKey.KOJI_CERTS_SECRET); }
    public String distributionScope() { return valueOrDefault(ConfigKey.DISTRIBUTION_SCOPE).strip(); }
    /** The vendor label value; empty means no vendor label. */
    public String vendor() { return valueOrDefault(ConfigKey.VENDOR); }
    public Optional<String> sourcesCommand() { return value(ConfigKey.SOURCES_COMMAND); }
    public Optional<String> reactorConfigMap() { return value(ConfigKey.REACTOR_CONFIG_MAP); }
    public boolean canOrchestrate() { return bool(ConfigKey.CAN_ORCHESTRATE); }
    public int arrangementVersion() { return integer(ConfigKey.ARRANGEMENT_VERSION); }

    /** The node selector for one kind of build; empty for anywhere. */
    public Map<String, String> nodeSelector(BuildKind kind) {
        return value(ConfigKey.nodeSelectorFor(kind)).map(ConfigValues::parseNodeSelector).orElse(Map.of());
    }

    public Optional<String> cpuLimit() { return value(ConfigKey.CPU_LIMIT); }
    public Optional<String> memoryLimit() { return value(ConfigKey.MEMORY_LIMIT); }
    public Optional<String> storageLimit() { return value(ConfigKey.STORAGE_LIMIT); }
    public int workerMaxRunHours() { return integer(ConfigKey.WORKER_MAX_RUN_HOURS); }
    public int orchestratorMaxRunHours() { return integer(ConfigKey.ORCHESTRATOR_MAX_RUN_HOURS); }
    public boolean groupManifests() { return bool(ConfigKey.GROUP_MANIFESTS); }
    /** How many times a queued build runs at most (strata_build_attempts). */
    public int buildAttempts() { return integer(ConfigKey.STRATA_BUILD_ATTEMPTS); }
    /** strata_dry_run_delay as written ({@code 2s}); the dry-run engine parses it. */
    public String dryRunDelay() { return valueOrDefault(ConfigKey.STRATA_DRY_RUN_DELAY).strip(); }
    /** How long registry operations are tried again while the registry fails in a passing way. */
    /** How often strata serve looks at the parents of the autorebuild policies (strata_autorebuild_interval). */
    public java.time.Duration autorebuildInterval() { return java.time.Duration.ofSeconds(integer(ConfigKey.STRATA_AUTOREBUILD_INTERVAL)); }
    /** Registry requests per minute per registry for autorebuild (strata_autorebuild_registry_rate). */
    public int autorebuildRegistryRate() { return integer(ConfigKey.STRATA_AUTOREBUILD_REGISTRY_RATE); }
    public java.time.Duration registryRetryTimeout() { return java.time.Duration.ofSeconds(integer(ConfigKey.STRATA_REGISTRY_RETRY_TIMEOUT)); }

    /** Whether COPY-only stages may be assembled without buildah ({@code strata_builder = auto}). */
    public boolean directAssembly() { return valueOrDefault(ConfigKey.STRATA_BUILDER).strip().equals("auto"); }

    /** The network policy of a build whose request names none ({@code strata_build_network}). */
    public String buildNetwork() { return valueOrDefault(ConfigKey.STRATA_BUILD_NETWORK).strip(); }
    /** The network policies a request may ask for ({@code strata_build_network_permit}). */
    public List<String> buildNetworkPermit() { return ConfigValues.parseList(valueOrDefault(ConfigKey.STRATA_BUILD_NETWORK_PERMIT)); }
    /** What allowlist builds may reach besides their yum repos and the registry ({@code strata_build_network_allow}). */
    public List<HostPort> buildNetworkAllow() { return value(ConfigKey.STRATA_BUILD_NETWORK_ALLOW).map(HostPort::parseList).orElse(List.of()); }
    /** Whether build-date is the commit's time (reproducible) rather than the wall clock ({@code strata_build_date}). */
    public boolean buildDateFromSource() { return valueOrDefault(ConfigKey.STRATA_BUILD_DATE).strip().equals("source"); }
    /** The private key that signs provenance ({@code strata_signing_key}); empty: unsigned. */
    public Optional<java.nio.file.Path> signingKey() { return value(ConfigKey.STRATA_SIGNING_KEY).map(java.nio.file.Path::of); }
    /** The public key {@code strata verify} checks signatures with ({@code strata_verify_key}). */
    public Optional<java.nio.file.Path> verifyKey() { return value(ConfigKey.STRATA_VERIFY_KEY).map(java.nio.file.Path::of); }

    /** The {@code [platform:NAME]} sections, by name, in file order. */
    public Map<String, PlatformConfig> platforms() { return platforms; }

    public StrataSettings strata() { return strata; }

    /**
     * Every known key that has a value (defaults included) with secrets masked: safe to log,
     * store with a build, or print. Sorted by key.
     */
    public Map<String, String> redacted() {
        Map<String, String> shown = new TreeMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.PLATFORM) {
                continue;
            }
            // Any value may be a URL with credentials in it (strata_store_url with password=, a git or
            // registry URL with user:token@): those parts are masked too.
            value(key).or(key::defaultValue).ifPresent(v -> shown.put(key.key(), key.secret() ? REDACTED : UrlCredentials.redact(v)));
        }
        return Collections.unmodifiableMap(shown);
    }

    @Override
    public String toString() {
        return "Configuration[instance=" + instance + ", " + redacted() + ", platforms=" + platforms.keySet() + "]";
    }
}
