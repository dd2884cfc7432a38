package io.strata.core.config;

import io.strata.core.io.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads an osbs.conf-style file plus the environment and command-line overrides into a
 * {@link Configuration}. Precedence per key: command line > {@code STRATA_*} environment variable >
 * file > default. Every problem in the file is collected and thrown together; unknown keys, keys
 * in the wrong section and deprecated spellings are returned as warnings.
 */
public final class ConfigLoader {
    static final String GENERAL_SECTION = "general";
    static final String PLATFORM_PREFIX = "platform:";

    private ConfigLoader() {}

    public static LoadedConfig load(ConfigSource source) throws ConfigException {
        return new Run(source).load();
    }

    /** Where a value came from, so a bad value is reported at its origin. */
    private record Found(String value, String origin, int line) {}

    /** One load; single use. */
    private static final class Run {
        private final ConfigSource source;
        private final List<ConfigProblem> problems = new ArrayList<>();
        private final List<ConfigProblem> warnings = new ArrayList<>();
        private final String instanceName;
        private Optional<IniDocument> document = Optional.empty();
        private Optional<IniDocument.Section> general = Optional.empty();
        private Optional<IniDocument.Section> instance = Optional.empty();

        Run(ConfigSource source) {
            this.source = source;
            this.instanceName = source.instanceName();
        }

        LoadedConfig load() throws ConfigException {
            document = readDocument();
            document.ifPresent(this::selectSections);
            Map<ConfigKey, String> values = resolveKeys();
            Map<String, String> unknownRaw = checkInstanceKeys();
            checkGeneralKeys();
            Map<String, PlatformConfig> platforms = readPlatforms();
            checkOverrides();
            if (!problems.isEmpty()) {
                throw new ConfigException(problems, warnings);
            }
            StrataSettings strata = strataSettings(values);
            return new LoadedConfig(new Configuration(instanceName, values, unknownRaw, platforms, strata), warnings);
        }

        private Optional<IniDocument> readDocument() {
            Optional<Path> named = source.configFile()
                    .or(() -> Optional.ofNullable(source.environment().get(ConfigSource.CONFIG_FILE_VARIABLE))
                            .filter(s -> !s.isBlank()).map(Path::of));
            Path file = named.orElse(source.defaultConfigFile());
            if (named.isEmpty() && !Files.exists(file)) {
                return Optional.empty(); // no /etc/osbs.conf: embedded defaults only
            }
            String name = file.toString();
            try {
                return Optional.of(IniParser.parse(name, TextFiles.readUtf8(file)));
            } catch (TextFiles.UnreadableTextException e) {
                String fix = switch (e.kind()) {
                    case MISSING -> "check the path given with --config or $" + ConfigSource.CONFIG_FILE_VARIABLE;
                    case DIRECTORY -> "give the osbs.conf file itself (e.g. " + file.resolve("osbs.conf") + "), not its directory";
                    default -> e.fix();
                };
                String problem = e.kind() == TextFiles.UnreadableTextException.Kind.MISSING
                        ? "configuration file not found" : "the configuration file " + e.problem();
                problems.add(new ConfigProblem(name, 0, problem, fix));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            return Optional.empty();
        }

        private void selectSections(IniDocument doc) {
            general = doc.section(GENERAL_SECTION);
            instance = doc.section(instanceName);
            if (instance.isPresent()) {
                return;
            }
            List<String> instances = doc.sections().stream().map(IniDocument.Section::name)
                    .filter(n -> !n.equals(GENERAL_SECTION) && !n.startsWith(PLATFORM_PREFIX)).toList();
            ConfigProblem missing = new ConfigProblem(doc.file(), 0, "no [" + instanceName + "] section",
                    instances.isEmpty() ? "add a [" + instanceName + "] section"
                            : "add a [" + instanceName + "] section or choose one with --instance: "
                            + String.join(", ", instances));
            (source.instanceNamed() ? problems : warnings).add(missing);
        }

        private Map<ConfigKey, String> resolveKeys() {
            Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
            for (ConfigKey key : ConfigKey.values()) {
                if (key.scope() == ConfigKey.Scope.PLATFORM) {
                    continue;
                }
                find(key).ifPresent(found -> {
                    values.put(key, found.value());
                    ConfigValues.check(key, found.value()).ifPresent(invalid ->
                            problems.add(new ConfigProblem(found.origin(), found.line(), invalid.message(), invalid.fix())));
                });
            }
            return values;
        }

        private Optional<Found> find(ConfigKey key) {
            String override = source.overrides().get(key.key());
            if (override != null) {
                return Optional.of(new Found(override, "command line", 0));
            }
            Optional<Found> fromEnvironment = key.environmentVariable()
                    .flatMap(variable -> Optional.ofNullable(source.environment().get(variable))
                            .map(value -> new Found(value, "$" + variable, 0)));
            if (fromEnvironment.isPresent()) {
                return fromEnvironment;
            }
            Optional<IniDocument.Section> section = key.scope() == ConfigKey.Scope.GENERAL ? general : instance;
            Optional<Found> fromFile = section.flatMap(s -> s.entry(key.key()))
                    .map(e -> new Found(e.value(), fileName(), e.line()));
            if (fromFile.isEmpty() && key == ConfigKey.OPENSHIFT_URL) {
                return instance.flatMap(s -> s.entry(ConfigKey.DEPRECATED_OPENSHIFT_URI))
                        .map(e -> new Found(e.value(), fileName(), e.line()));
            }
            return fromFile;
        }

        /** Warns about every instance key Strata does not read; returns them for {@link Configuration#raw}. */
        private Map<String, String> checkInstanceKeys() {
            Map<String, String> unknown = new LinkedHashMap<>();
            if (instance.isEmpty()) {
                return unknown;
            }
            IniDocument.Section section = instance.get();
            for (IniDocument.Entry entry : section.entries().values()) {
                String key = entry.key();
                if (key.startsWith(ConfigKey.NODE_SELECTOR_PREFIX)) {
                    checkPlatformNodeSelector(entry);
                    continue;
                }
                if (key.equals(ConfigKey.DEPRECATED_OPENSHIFT_URI)) {
                    warnings.add(warning(entry, "'" + key + "' is osbs-client's old name for 'openshift_url'",
                            "rename it to openshift_url"));
                    continue;
                }
                Optional<ConfigKey> known = ConfigKey.byName(key);
                if (known.isEmpty()) {
                    unknown.put(key, entry.value());
                    warnings.add(warning(entry, "unknown key '" + key + "' in [" + section.name() + "] is not used",
                            Suggestions.fixFor(key, keyNames(ConfigKey.Scope.INSTANCE), "instance keys")));
                } else if (known.get().scope() != ConfigKey.Scope.INSTANCE) {
                    warnings.add(warning(entry, "'" + key + "' is read from " + sectionOf(known.get())
                            + ", not [" + section.name() + "]; this value is not used", "move it to " + sectionOf(known.get())));
                }
            }
            return unknown;
        }

        private void checkGeneralKeys() {
            general.ifPresent(section -> section.entries().values().forEach(entry -> {
                Optional<ConfigKey> known = ConfigKey.byName(entry.key());
                if (known.isEmpty()) {
                    warnings.add(warning(entry, "unknown key '" + entry.key() + "' in [general] is not used",
                            Suggestions.fixFor(entry.key(), keyNames(ConfigKey.Scope.GENERAL), "[general] keys")));
                } else if (known.get().scope() != ConfigKey.Scope.GENERAL) {
                    warnings.add(warning(entry, "'" + entry.key() + "' is read from " + sectionOf(known.get())
                            + ", not [general]; this value is not used", "move it to " + sectionOf(known.get())));
                }
            }));
        }

        private void checkPlatformNodeSelector(IniDocument.Entry entry) {
            String platform = entry.key().substring(ConfigKey.NODE_SELECTOR_PREFIX.length());
            if (platform.isEmpty()) {
                problems.add(new ConfigProblem(fileName(), entry.line(), "'" + entry.key() + "' names no platform",
                        "write node_selector.PLATFORM, e.g. node_selector.x86_64"));
                return;
            }
            try {
                ConfigValues.parseNodeSelector(entry.value());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(fileName(), entry.line(), entry.key() + ": " + e.getMessage(),
                        "write " + entry.key() + " = key=value, key2=value2 (or none)"));
                return;
            }
            if (document.flatMap(d -> d.section(PLATFORM_PREFIX + platform)).isEmpty()) {
                warnings.add(warning(entry, "'" + entry.key() + "' names platform '" + platform
                        + "' but there is no [platform:" + platform + "] section; it is not used",
                        "add a [platform:" + platform + "] section or remove the key"));
            }
        }

        private Map<String, PlatformConfig> readPlatforms() {
            Map<String, PlatformConfig> platforms = new LinkedHashMap<>();
            List<IniDocument.Section> sections = document.map(IniDocument::sections).orElse(List.of()).stream()
                    .filter(s -> s.name().startsWith(PLATFORM_PREFIX)).toList();
            for (IniDocument.Section section : sections) {
                String name = section.name().substring(PLATFORM_PREFIX.length()).strip();
                if (name.isEmpty()) {
                    problems.add(new ConfigProblem(fileName(), section.line(), "[" + section.name() + "] names no platform",
                            "write the platform after the colon, e.g. [platform:x86_64]"));
                    continue;
                }
                platforms.put(name, platform(name, section));
            }
            return platforms;
        }

        private PlatformConfig platform(String name, IniDocument.Section section) {
            boolean enableV1 = false;
            java.util.OptionalInt maxConcurrent = java.util.OptionalInt.empty();
            for (IniDocument.Entry entry : section.entries().values()) {
                Optional<ConfigKey> known = ConfigKey.byName(entry.key()).filter(k -> k.scope() == ConfigKey.Scope.PLATFORM);
                if (known.isEmpty()) {
                    warnings.add(warning(entry, "unknown key '" + entry.key() + "' in [" + section.name() + "] is not used",
                            Suggestions.fixFor(entry.key(), keyNames(ConfigKey.Scope.PLATFORM), "platform keys")));
                    continue;
                }
                Optional<ConfigValues.Invalid> invalid = ConfigValues.check(known.get(), entry.value());
                invalid.ifPresent(i -> problems.add(new ConfigProblem(fileName(), entry.line(), i.message(), i.fix())));
                if (known.get() == ConfigKey.ENABLE_V1 && invalid.isEmpty()) {
                    enableV1 = ConfigValues.parseBoolean(entry.value());
                }
                if (known.get() == ConfigKey.MAX_CONCURRENT_BUILDS && invalid.isEmpty()) {
                    maxConcurrent = java.util.OptionalInt.of(ConfigValues.parsePositiveInt(entry.value()));
                }
            }
            Map<String, String> selector = instance.flatMap(s -> s.entry(ConfigKey.NODE_SELECTOR_PREFIX + name))
                    .map(IniDocument.Entry::value)
                    .flatMap(v -> {
                        try {
                            return Optional.of(ConfigValues.parseNodeSelector(v));
                        } catch (IllegalArgumentException e) {
                            return Optional.empty(); // reported by checkPlatformNodeSelector
                        }
                    })
                    .orElse(Map.of());
            Optional<String> architecture = section.entry(ConfigKey.ARCHITECTURE.key()).map(IniDocument.Entry::value);
            return new PlatformConfig(name, architecture, enableV1, selector, maxConcurrent);
        }

        /** An override for a key that does not exist is a bug in the caller's flag mapping: say so. */
        private void checkOverrides() {
            for (String key : source.overrides().keySet()) {
                if (ConfigKey.byName(key).filter(k -> k.scope() != ConfigKey.Scope.PLATFORM).isEmpty()) {
                    problems.add(new ConfigProblem("command line", 0, "unknown configuration key '" + key + "'",
                            Suggestions.fixFor(key, keyNames(ConfigKey.Scope.INSTANCE), "keys")));
                }
            }
        }

        private StrataSettings strataSettings(Map<ConfigKey, String> values) {
            Path home = Optional.ofNullable(values.get(ConfigKey.STRATA_HOME)).map(Path::of)
                    .orElse(source.userHome().resolve(".local/share/strata"));
            String engine = Optional.ofNullable(values.get(ConfigKey.STRATA_ENGINE))
                    .orElseGet(() -> ConfigKey.STRATA_ENGINE.defaultValue().orElseThrow()).strip();
            String storeUrl = Optional.ofNullable(values.get(ConfigKey.STRATA_STORE_URL))
                    .orElseGet(() -> StrataSettings.embeddedStoreUrl(home));
            int concurrency = ConfigValues.parsePositiveInt(Optional.ofNullable(values.get(ConfigKey.STRATA_CONCURRENCY))
                    .orElseGet(() -> ConfigKey.STRATA_CONCURRENCY.defaultValue().orElseThrow()));
            return new StrataSettings(StrataEngine.fromConfigName(engine), storeUrl,
                    Optional.ofNullable(values.get(ConfigKey.STRATA_REGISTRY_AUTH_FILE)).map(Path::of), concurrency, home,
                    Optional.ofNullable(values.get(ConfigKey.STRATA_BUILDAH_ROOT)).map(Path::of));
        }

        private ConfigProblem warning(IniDocument.Entry entry, String message, String fix) {
            return new ConfigProblem(fileName(), entry.line(), message, fix);
        }

        private String fileName() {
            return document.map(IniDocument::file).orElse("configuration");
        }

        private static String sectionOf(ConfigKey key) {
            return switch (key.scope()) {
                case GENERAL -> "[" + GENERAL_SECTION + "]";
                case INSTANCE -> "an instance section such as [default]";
                case PLATFORM -> "a [platform:NAME] section";
            };
        }

        private static List<String> keyNames(ConfigKey.Scope scope) {
            return Stream.of(ConfigKey.values()).filter(k -> k.scope() == scope).map(ConfigKey::key).toList();
        }
    }
}
