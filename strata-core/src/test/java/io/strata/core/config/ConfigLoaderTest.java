package io.strata.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.render.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("osbs.conf");
        Files.writeString(file, text);
        return file;
    }

    private LoadedConfig load(String text) throws Exception {
        return ConfigLoader.load(TestConfigs.hermetic().withConfigFile(write(text)));
    }

    private List<String> problems(ConfigSource source) {
        try {
            ConfigLoader.load(source);
            throw new AssertionError("expected a ConfigException");
        } catch (ConfigException e) {
            return e.problems().stream().map(p -> p.describe().replace(dir.toString(), "DIR")).toList();
        }
    }

    @Test
    void readsTheSeedConfiguration() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(TestConfigs.hermetic().withConfigFile(TestConfigs.SEED_CONF));
        Configuration c = loaded.config();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.instance()).isEqualTo("default");
        assertThat(c.buildJsonDir()).isEqualTo("/usr/share/osbs/");
        assertThat(c.verbose()).isTrue();
        assertThat(c.openshiftRequiredVersion()).contains("1.0.6");
        assertThat(c.openshiftUrl()).contains("https://172.17.0.1:8443/");
        assertThat(c.namespace()).isEqualTo("osbs");
        assertThat(c.verifySsl()).isFalse();
        assertThat(c.useAuth()).isTrue();
        assertThat(c.useKerberos()).isFalse();
        assertThat(c.username()).contains("osbs");
        assertThat(c.password()).contains("osbs");
        assertThat(c.buildImage()).isEqualTo("local_buildroot:latest");
        assertThat(c.buildType()).isEqualTo("prod");
        assertThat(c.authoritativeRegistry()).contains("registry.fedoraproject.org");
        assertThat(c.registryUri()).contains("https://172.17.0.1:5000/v2");
        assertThat(c.registryApiVersions()).containsExactly("v1", "v2");
        assertThat(c.sourceRegistryUri()).contains("http://registry.fedoraproject.org");
        assertThat(c.registrySecrets()).containsExactly("v2-registry-dockercfg");
        assertThat(c.clientConfigSecret()).contains("client-config-secret");
        assertThat(c.kojiHub()).contains("https://172.17.0.1:8083/kojihub");
        assertThat(c.kojiRoot()).contains("https://172.17.0.1:8083/kojifiles");
        assertThat(c.kojiCertsSecret()).contains("kojisecret");
        assertThat(c.distributionScope()).isEqualTo("public");
        assertThat(c.vendor()).isEqualTo("Red Hat, Inc.");
        assertThat(c.sourcesCommand()).contains("rhpkg sources");
        assertThat(c.reactorConfigMap()).contains("reactor-config-map");
        assertThat(c.canOrchestrate()).isTrue();
        assertThat(c.platforms()).containsExactly(Map.entry("x86_64",
                new PlatformConfig("x86_64", Optional.of("amd64"), true, Map.of())));
    }

    @Test
    void anEmptyEnvironmentGivesOsbsClientDefaults() throws Exception {
        Configuration c = ConfigLoader.load(TestConfigs.hermetic()).config();

        assertThat(c.namespace()).isEqualTo("default");
        assertThat(c.verifySsl()).isTrue();
        assertThat(c.useAuth()).isTrue();
        assertThat(c.buildImage()).isEqualTo("buildroot:latest");
        assertThat(c.buildType()).isEqualTo("prod");
        assertThat(c.registryApiVersions()).containsExactly("v1", "v2");
        assertThat(c.distributionScope()).isEqualTo("private");
        assertThat(c.vendor()).isEmpty();
        assertThat(c.canOrchestrate()).isFalse();
        assertThat(c.arrangementVersion()).isEqualTo(6);
        assertThat(c.workerMaxRunHours()).isEqualTo(3);
        assertThat(c.orchestratorMaxRunHours()).isEqualTo(4);
        assertThat(c.registryUri()).isEmpty();
        assertThat(c.platforms()).isEmpty();
        assertThat(c.nodeSelector(BuildKind.SCRATCH)).isEmpty();
        assertThat(c.strata()).isEqualTo(new StrataSettings(StrataEngine.LOCAL,
                "jdbc:sqlite:/home/tester/.local/share/strata/store/strata.db", Optional.empty(), 2,
                Path.of("/home/tester/.local/share/strata"), Optional.empty()));
    }

    static Stream<Arguments> precedence() {
        // file says one thing; environment and command line may override it
        return Stream.of(
                Arguments.of(Map.of(), Map.of(), "file.example"),
                Arguments.of(Map.of("STRATA_REGISTRY_URI", "env.example"), Map.of(), "env.example"),
                Arguments.of(Map.of("STRATA_REGISTRY_URI", "env.example"), Map.of("registry_uri", "flag.example"), "flag.example"),
                Arguments.of(Map.of(), Map.of("registry_uri", "flag.example"), "flag.example"));
    }

    @ParameterizedTest(name = "env={0} flags={1} -> {2}")
    @MethodSource("precedence")
    void flagBeatsEnvironmentBeatsFile(Map<String, String> env, Map<String, String> flags, String expected) throws Exception {
        ConfigSource source = TestConfigs.hermetic().withConfigFile(write("[default]\nregistry_uri = file.example\n"))
                .withEnvironment(env);
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            source = source.withOverride(flag.getKey(), flag.getValue());
        }

        assertThat(ConfigLoader.load(source).config().registryUri()).contains(expected);
    }

    @Test
    void strataKeysHaveShortEnvironmentNames() throws Exception {
        ConfigSource source = TestConfigs.hermetic().withEnvironment(Map.of(
                "STRATA_STORE_URL", "jdbc:postgresql://127.0.0.1/strata",
                "STRATA_HOME", "/srv/strata",
                "STRATA_ENGINE", "kubernetes",
                "STRATA_CONCURRENCY", "8",
                "STRATA_REGISTRY_AUTH_FILE", "/run/auth.json"));

        assertThat(ConfigLoader.load(source).config().strata()).isEqualTo(new StrataSettings(StrataEngine.KUBERNETES,
                "jdbc:postgresql://127.0.0.1/strata", Optional.of(Path.of("/run/auth.json")), 8, Path.of("/srv/strata"), Optional.empty()));
    }

    @Test
    void theStoreDefaultsToSqliteUnderStrataHome() throws Exception {
        Configuration c = load("[default]\nstrata_home = /var/lib/strata\n").config();

        assertThat(c.strata().storeUrl()).isEqualTo("jdbc:sqlite:/var/lib/strata/store/strata.db");
    }

    @Test
    void instanceComesFromFlagThenEnvironment() throws Exception {
        Path file = write("[default]\nnamespace = a\n[scratch]\nnamespace = b\n");
        ConfigSource source = TestConfigs.hermetic().withConfigFile(file);

        assertThat(ConfigLoader.load(source).config().namespace()).isEqualTo("a");
        assertThat(ConfigLoader.load(source.withEnvironment(Map.of("STRATA_INSTANCE", "scratch"))).config().namespace())
                .isEqualTo("b");
        assertThat(ConfigLoader.load(source.withInstance("scratch")).config().instance()).isEqualTo("scratch");
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment() throws Exception {
        Path file = write("[default]\nnamespace = from-env-file\n");
        ConfigSource source = TestConfigs.hermetic().withEnvironment(Map.of("STRATA_CONFIG", file.toString()));

        assertThat(ConfigLoader.load(source).config().namespace()).isEqualTo("from-env-file");
    }

    @Test
    void unknownKeysAreWarningsWithSuggestions() throws Exception {
        LoadedConfig loaded = load("""
                [general]
                build_json_dir = /x
                colour = blue
                [platform:x86_64]
                architecure = amd64
                [default]
                registry_url = r.example
                openshift_uri = https://old.example/
                build_json_dir = /y
                something_else = 1
                """);

        assertThat(loaded.warnings()).map(p -> p.describe().replace(dir.toString(), "DIR")).containsExactly(
                "DIR/osbs.conf:7: unknown key 'registry_url' in [default] is not used (fix: did you mean 'registry_uri'?)",
                "DIR/osbs.conf:8: 'openshift_uri' is osbs-client's old name for 'openshift_url' (fix: rename it to openshift_url)",
                "DIR/osbs.conf:9: 'build_json_dir' is read from [general], not [default]; this value is not used "
                        + "(fix: move it to [general])",
                "DIR/osbs.conf:10: unknown key 'something_else' in [default] is not used (fix: use one of the known instance "
                        + "keys: arrangement_version, authoritative_registry, auto_build_node_selector, build_image, build_type, "
                        + "can_orchestrate, client_config_secret, cpu_limit, distribution_scope, explicit_build_node_selector, group_manifests, "
                        + "isolated_build_node_selector, koji_certs_secret, koji_hub, koji_root, memory_limit, namespace, "
                        + "openshift_url, orchestrator_max_run_hours, password, reactor_config_map, registry_api_versions, "
                        + "registry_secret, registry_uri, scratch_build_node_selector, source_registry_uri, sources_command, "
                        + "storage_limit, strata_autorebuild_interval, strata_autorebuild_registry_rate, strata_build_attempts, strata_build_date, strata_build_network, strata_build_network_allow, strata_build_network_permit, strata_buildah_root, strata_builder, strata_concurrency, strata_demo_base_image, "
                        + "strata_dry_run_delay, strata_engine, strata_home, strata_kubeconfig, strata_prune_interval, strata_prune_keep, "
                        + "strata_queue_max_pending, strata_registry_auth_file, strata_registry_retry_timeout, "
                        + "strata_server_token_file, strata_server_url, strata_signing_key, strata_store_url, strata_verify_key, "
                        + "strata_worker_pending_timeout, strata_worker_tolerations, token, token_file, use_auth, use_kerberos, username, vendor, verify_ssl, "
                        + "worker_max_run_hours)",
                "DIR/osbs.conf:3: unknown key 'colour' in [general] is not used (fix: use one of the known [general] keys: "
                        + "build_json_dir, openshift_required_version, verbose)",
                "DIR/osbs.conf:5: unknown key 'architecure' in [platform:x86_64] is not used (fix: did you mean 'architecture'?)");
        assertThat(loaded.config().openshiftUrl()).contains("https://old.example/");
        assertThat(loaded.config().raw("registry_url")).contains("r.example");
        assertThat(loaded.config().buildJsonDir()).isEqualTo("/x");
    }

    @Test
    void everyBadValueIsReportedAtOnceWithItsLineAndFix() throws Exception {
        Path file = write("""
                [default]
                verify_ssl = maybe
                arrangement_version = six
                distribution_scope = everyone
                scratch_build_node_selector = just-a-word
                node_selector.x86_64 = =x
                strata_engine = docker
                strata_concurrency = 0
                [platform:x86_64]
                enable_v1 = si
                """);

        assertThat(problems(TestConfigs.hermetic().withConfigFile(file)
                .withEnvironment(Map.of("STRATA_USE_AUTH", "nope")))).containsExactly(
                "DIR/osbs.conf:2: verify_ssl: 'maybe' is not a boolean (fix: write verify_ssl = true or verify_ssl = false "
                        + "(also 1/0, yes/no, on/off))",
                "$STRATA_USE_AUTH: use_auth: 'nope' is not a boolean (fix: write use_auth = true or use_auth = false "
                        + "(also 1/0, yes/no, on/off))",
                "DIR/osbs.conf:4: distribution_scope: 'everyone' is not one of [private, authoritative-source-only, "
                        + "restricted, public] (fix: write one of: private, authoritative-source-only, restricted, public)",
                "DIR/osbs.conf:3: arrangement_version: 'six' is not a whole number (fix: write a whole number of at least 1, "
                        + "e.g. arrangement_version = 6)",
                "DIR/osbs.conf:5: scratch_build_node_selector: 'just-a-word' is not a key=value pair (fix: write "
                        + "scratch_build_node_selector = key=value, key2=value2 (or none))",
                "DIR/osbs.conf:7: strata_engine: 'docker' is not one of [local, kubernetes, openshift, dry-run] (fix: "
                        + "write one of: local, kubernetes, openshift, dry-run)",
                "DIR/osbs.conf:8: strata_concurrency: 0 is less than 1 (fix: write a whole number of at least 1, e.g. "
                        + "strata_concurrency = 2)",
                "DIR/osbs.conf:6: node_selector.x86_64: '=x' is not a key=value pair (fix: write node_selector.x86_64 = "
                        + "key=value, key2=value2 (or none))",
                "DIR/osbs.conf:10: enable_v1: 'si' is not a boolean (fix: write enable_v1 = true or enable_v1 = false "
                        + "(also 1/0, yes/no, on/off))");
    }

    static Stream<Arguments> booleans() {
        return Stream.of(
                Arguments.of("1", true), Arguments.of("yes", true), Arguments.of("True", true), Arguments.of("ON", true),
                Arguments.of("0", false), Arguments.of("no", false), Arguments.of("FALSE", false), Arguments.of("off", false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("booleans")
    void booleansReadAsConfigparserReadsThem(String written, boolean expected) throws Exception {
        assertThat(load("[default]\nverify_ssl = " + written + "\n").config().verifySsl()).isEqualTo(expected);
    }

    @Test
    void nodeSelectorsPerBuildKindAndPlatform() throws Exception {
        Configuration c = load("""
                [platform:x86_64]
                [platform:s390x]
                [default]
                scratch_build_node_selector = builds=scratch, zone=a
                isolated_build_node_selector = none
                explicit_build_node_selector = builds=explicit
                auto_build_node_selector = builds=auto
                node_selector.x86_64 = beta.kubernetes.io/arch=amd64
                """).config();

        assertThat(c.nodeSelector(BuildKind.SCRATCH)).containsExactly(Map.entry("builds", "scratch"), Map.entry("zone", "a"));
        assertThat(c.nodeSelector(BuildKind.ISOLATED)).isEmpty();
        assertThat(c.nodeSelector(BuildKind.EXPLICIT)).containsExactly(Map.entry("builds", "explicit"));
        assertThat(c.nodeSelector(BuildKind.AUTO)).containsExactly(Map.entry("builds", "auto"));
        assertThat(c.platforms().get("x86_64").nodeSelector()).containsExactly(Map.entry("beta.kubernetes.io/arch", "amd64"));
        assertThat(c.platforms().get("s390x").nodeSelector()).isEmpty();
    }

    @Test
    void aNamedInstanceMustExistButTheDefaultOneMayBeMissing() throws Exception {
        Path file = write("[general]\nverbose = 0\n[prod]\nnamespace = p\n[stage]\nnamespace = s\n");

        assertThat(ConfigLoader.load(TestConfigs.hermetic().withConfigFile(file)).warnings())
                .map(p -> p.describe().replace(dir.toString(), "DIR"))
                .containsExactly("DIR/osbs.conf: no [default] section (fix: add a [default] section or choose one with "
                        + "--instance: prod, stage)");
        assertThat(problems(TestConfigs.hermetic().withConfigFile(file).withInstance("qa"))).containsExactly(
                "DIR/osbs.conf: no [qa] section (fix: add a [qa] section or choose one with --instance: prod, stage)");
    }

    @Test
    void aNamedFileMustExistButTheDefaultFileMayNot() throws Exception {
        assertThat(ConfigLoader.load(TestConfigs.hermetic()).warnings()).isEmpty();
        assertThat(problems(TestConfigs.hermetic().withConfigFile(dir.resolve("missing.conf")))).containsExactly(
                "DIR/missing.conf: configuration file not found (fix: check the path given with --config or $STRATA_CONFIG)");
    }

    @Test
    void syntaxErrorsInTheFileAreConfigProblems() throws Exception {
        assertThat(problems(TestConfigs.hermetic().withConfigFile(write("[default\nnamespace = x\n")))).containsExactly(
                "DIR/osbs.conf:1: malformed section header '[default' (fix: write the header alone on its line, "
                        + "e.g. [default] or [platform:x86_64])",
                "DIR/osbs.conf:2: 'namespace' is outside any section (fix: put a section header such as [default] or "
                        + "[general] above it)");
    }

    @Test
    void networkKeysAreCheckedWhenLoaded() throws Exception {
        Path file = write("[default]\nstrata_build_network = closed\nstrata_build_network_permit = none,everything\n"
                + "strata_build_network_allow = repo.example:443, nothing-here\n");

        try {
            ConfigLoader.load(TestConfigs.hermetic().withConfigFile(file));
            throw new AssertionError("expected a ConfigException");
        } catch (ConfigException e) {
            assertThat(e.problems()).map(ConfigProblem::message).containsExactlyInAnyOrder(
                    "strata_build_network: 'closed' is not one of [none, allowlist, open]",
                    "strata_build_network_permit: 'everything' is not one of [none, allowlist, open]",
                    "strata_build_network_allow: 'nothing-here' is not host:port");
        }
    }

    @Test
    void theNetworkAllowListIsReadAsHostsAndPorts() throws Exception {
        Configuration config = ConfigLoader.load(TestConfigs.hermetic().withConfigFile(
                write("[default]\nstrata_build_network_allow = Repo.Example:443 10.1.2.3:8080\n"))).config();

        assertThat(config.buildNetworkAllow()).containsExactly(new HostPort("repo.example", 443), new HostPort("10.1.2.3", 8080));
    }

    @Test
    void aFailedLoadStillCarriesItsWarnings() throws Exception {
        Path file = write("[default]\nregistry_url = r.example\nuse_auth = perhaps\n");

        try {
            ConfigLoader.load(TestConfigs.hermetic().withConfigFile(file));
            throw new AssertionError("expected a ConfigException");
        } catch (ConfigException e) {
            assertThat(e.problems()).map(ConfigProblem::message).containsExactly("use_auth: 'perhaps' is not a boolean");
            assertThat(e.warnings()).map(ConfigProblem::message)
                    .containsExactly("unknown key 'registry_url' in [default] is not used");
            assertThat(e.reason()).isEqualTo("CONFIG_INVALID");
            assertThat(e.hint()).isEqualTo("write use_auth = true or use_auth = false (also 1/0, yes/no, on/off)");
        }
    }

    @Test
    void anOverrideForAnUnknownKeyIsRefused() {
        assertThat(problems(TestConfigs.hermetic().withOverride("registry_url", "x"))).containsExactly(
                "command line: unknown configuration key 'registry_url' (fix: did you mean 'registry_uri'?)");
    }

    @Test
    void secretsAreMaskedInToStringAndRedacted() throws Exception {
        Configuration c = load("[default]\npassword = hunter2\ntoken = sha256~abc\nusername = me\n").config();

        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("sha256~abc").contains("username=me");
        assertThat(c.redacted()).containsEntry("password", "<redacted>").containsEntry("token", "<redacted>");
        assertThat(c.password()).contains("hunter2");
        assertThat(c.token()).contains("sha256~abc");
    }

    @Test
    void everyKeyHasItsEnvironmentVariable() {
        assertThat(ConfigKey.REGISTRY_URI.environmentVariable()).contains("STRATA_REGISTRY_URI");
        assertThat(ConfigKey.STRATA_STORE_URL.environmentVariable()).contains("STRATA_STORE_URL");
        assertThat(ConfigKey.BUILD_JSON_DIR.environmentVariable()).contains("STRATA_BUILD_JSON_DIR");
        assertThat(ConfigKey.ENABLE_V1.environmentVariable()).isEmpty();
    }
}
