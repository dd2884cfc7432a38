package io.strata.core.config.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReactorConfigLoaderTest {

    private static List<String> problems(String yaml) {
        try {
            ReactorConfigLoader.parse("config.yaml", yaml);
            throw new AssertionError("expected a ConfigException");
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::describe).toList();
        }
    }

    @Test
    void readsTheExample() throws Exception {
        ReactorConfig config = ReactorConfigLoader.load(Path.of("../examples/reactor-config.yaml"));

        assertThat(config.version()).isEqualTo(1);
        assertThat(config.clusters().get("x86_64")).containsExactly(
                new ReactorConfig.Cluster("worker-x86_64-01", 4, Optional.empty()),
                new ReactorConfig.Cluster("worker-x86_64-02", 2, Optional.of(false)));
        assertThat(config.clusters().get("x86_64").get(1).active()).isFalse();
        assertThat(config.koji()).map(ReactorConfig.Koji::hubUrl).contains("https://172.17.0.1:8083/kojihub");
        assertThat(config.koji().flatMap(ReactorConfig.Koji::auth).flatMap(ReactorConfig.KojiAuth::sslCertsDir))
                .contains("/var/run/secrets/atomic-reactor/kojisecret");
        assertThat(config.sourceRegistry()).contains(new ReactorConfig.SourceRegistry("registry.fedoraproject.org", Optional.of(false)));
        assertThat(config.registries()).containsExactly(new ReactorConfig.Registry("https://172.17.0.1:5000/v2", Optional.of(true),
                Optional.of(new ReactorConfig.RegistryAuth("/var/run/secrets/atomic-reactor/v2-registry-dockercfg")), List.of()));
        assertThat(config.platformDescriptors()).containsExactly(
                new ReactorConfig.PlatformDescriptor("x86_64", "amd64", Optional.of(true)),
                new ReactorConfig.PlatformDescriptor("aarch64", "arm64", Optional.empty()));
        assertThat(config.requiredLabels()).containsExactly("com.redhat.component", "name", "version");
        assertThat(config.imageLabels()).containsEntry("distribution-scope", "public");
        assertThat(config.imageEqualLabels()).containsExactly(List.of("description", "io.k8s.description"));
        assertThat(config.defaultImageBuildMethod()).contains("buildah_bud");
        assertThat(config.contentVersions()).containsExactly("v2");
    }

    @Test
    void theSmallestDocumentIsItsVersion() throws Exception {
        ReactorConfig config = ReactorConfigLoader.parse("config.yaml", "version: 1\n");

        assertThat(config.registries()).isEmpty();
        assertThat(config.koji()).isEmpty();
        assertThat(config.buildImageOverride()).isEqualTo(Map.of());
    }

    @Test
    void everySchemaViolationIsReportedWithLineAndColumn() {
        String yaml = """
                version: 2
                koji:
                  hub_url: https://koji.example/kojihub
                  auth:
                    krb_principl: builder@EXAMPLE
                registries:
                  - url: https://r.example/v2
                    insecure: "yes"
                  - insecure: true
                platform_descriptors: x86_64
                required_labels: [name, 7]
                default_image_build_method: docker
                colour: blue
                """;

        assertThat(problems(yaml)).containsExactly(
                "config.yaml:1:10: version: 2 is out of range (fix: write the number 1)",
                "config.yaml:5:5: unknown key 'koji.auth.krb_principl' (fix: did you mean 'krb_principal'?)",
                "config.yaml:3:3: missing required key 'koji.root_url' (fix: add root_url: <a string>)",
                "config.yaml:8:15: registries[0].insecure: expected true or false, found a string (fix: write true or false, unquoted)",
                "config.yaml:9:5: missing required key 'registries[1].url' (fix: add url: <a string>)",
                "config.yaml:10:23: platform_descriptors: expected a list of mappings, found a string (fix: write a list: "
                        + "one '- item' per line, or [a, b])",
                "config.yaml:11:25: required_labels[1]: expected a string, found an integer (fix: write a string (quote it "
                        + "if it looks like a number or boolean))",
                "config.yaml:12:29: default_image_build_method: 'docker' is not one of [buildah_bud, imagebuilder, docker_api] "
                        + "(fix: write one of: buildah_bud, imagebuilder, docker_api)",
                "config.yaml:13:1: unknown key 'colour' (fix: use one of the known keys: build_image_override, clusters, "
                        + "content_versions, default_image_build_method, image_equal_labels, image_label_info_url_format, "
                        + "image_labels, koji, openshift, platform_descriptors, registries, required_labels, source_registry, version)");
    }

    @Test
    void aMissingVersionAndDuplicatePlatformsAreErrors() {
        assertThat(problems("clusters: {}\n")).containsExactly(
                "config.yaml:1:1: missing required key 'version' (fix: add version: <the number 1>)");
        assertThat(problems("version: 1\nplatform_descriptors:\n- {platform: x86_64, architecture: amd64}\n"
                + "- {platform: x86_64, architecture: amd64}\n")).containsExactly(
                "config.yaml:4:14: platform_descriptors: 'x86_64' is described again (first at line 3) "
                        + "(fix: keep one descriptor per platform)");
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeysHavePositions() {
        assertThat(problems("version: 1\nkoji: [\n")).containsExactly("config.yaml:3:1: syntax error: while parsing a flow node; "
                + "expected the node content, but found '<stream end>' (fix: correct the syntax at this position)");
        assertThat(problems("a: b: c\n")).containsExactly(
                "config.yaml:1:5: syntax error: mapping values are not allowed here (fix: correct the syntax at this position)");
        assertThat(problems("version: 1\nversion: 1\n")).containsExactly(
                "config.yaml:2:1: key 'version' appears again (first at line 1) (fix: keep one 'version')");
        assertThatThrownBy(() -> ReactorConfigLoader.parse("config.yaml", ""))
                .hasMessage("invalid configuration: config.yaml:1: the document is empty")
                .extracting(e -> ((ConfigException) e).hint()).isEqualTo("write the document's top-level mapping");
    }

    @Test
    void anUnreadableFileIsAConfigProblem() {
        assertThatThrownBy(() -> ReactorConfigLoader.load(Path.of("/nonexistent/config.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: /nonexistent/config.yaml: the reactor configuration does not exist");
    }
}
