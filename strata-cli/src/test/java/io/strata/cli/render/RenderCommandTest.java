package io.strata.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.render.UserParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    private static final String CONFIG = "../examples/osbs.conf";
    private static final List<String> SEED_REQUEST = List.of("--component", "docker-hello-world",
            "--git-uri", "git://github.com/sosiouxme/docker-hello-world", "--git-ref", "origin/osbs-box-demo",
            "--git-branch", "osbs-box-demo", "--target", "candidate", "--platforms", "x86_64", "--user", "kojiadmin",
            "--koji-task-id", "6");

    @TempDir
    Path dir;

    /** One run of the CLI: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {}

    private Run run(List<String> args) {
        TestCli.Run run = TestCli.in(dir).run(args.toArray(String[]::new));
        return new Run(run.exit(), run.out(), run.err());
    }

    private static List<String> args(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> seed(String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of("--config", CONFIG));
        all.addAll(SEED_REQUEST);
        return all;
    }

    @Test
    void buildConfigAsJsonCarriesTheRequestAndConfiguration() throws Exception {
        Run run = run(args(seed("render", "build-config"), "--base-image", "fedora:latest"));

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode bc = new ObjectMapper().readTree(run.out());
        assertThat(bc.path("metadata").path("name").asText()).isEqualTo("docker-hello-world-osbs-box-demo-f7644");
        assertThat(bc.path("metadata").path("namespace").asText()).isEqualTo("osbs");
        assertThat(bc.path("spec").path("strategy").path("customStrategy").path("from").path("name").asText())
                .isEqualTo("local_buildroot:latest");
        UserParams params = UserParams.fromJson(bc.path("spec").path("strategy").path("customStrategy").path("env").get(1)
                .path("value").asText());
        assertThat(params.component()).isEqualTo("docker-hello-world");
        assertThat(params.baseImage()).isEqualTo("fedora:latest");
        assertThat(params.kojiTaskId()).isEqualTo(6L);
        assertThat(params.imageTag()).matches("kojiadmin/docker-hello-world:candidate-\\d{5}-\\d{14}");
        assertThat(run.out()).doesNotContain("password");
    }

    @Test
    void buildConfigAsYaml() {
        Run run = run(args(seed("render", "build-config"), "-o", "yaml"));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("apiVersion: v1\nkind: BuildConfig\nmetadata:\n");
        assertThat(run.out()).contains("  runPolicy: Serial\n");
    }

    @Test
    void planIsWhatThePlanRendererMakes() throws Exception {
        Run run = run(args(seed("render", "plan"), "--customize", "../examples/customize.json"));

        assertThat(run.exit()).isZero();
        String expected = PlanRenderer.render("worker", 6, Optional.of(CustomizeJson.read(Path.of("../examples/customize.json"))),
                PlanOverrides.from(new io.strata.cli.options.BuildRequestOptionsTest().seedRequest(), io.strata.core.config.ConfigLoader
                        .load(io.strata.cli.TestCli.in(Path.of("target")).environment().configSource().withConfigFile(Path.of(CONFIG))).config()))
                .toJson();
        assertThat(run.out()).isEqualTo(expected);
    }

    @Test
    void orchestratorPlanAsYamlKeepsTheStoredKeyOrder() {
        Run run = run(args(seed("render", "plan"), "--build-type", "orchestrator", "--platforms", "aarch64", "-o", "yaml"));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("build_type: orchestrator\narrangement_version: 6\nsteps:\n- name: check_out_source\n");
        assertThat(run.out()).contains("""
                - name: orchestrate_build
                  phase: BUILD
                  required: true
                  allowed_to_fail: false
                  args:
                    platforms:
                    - x86_64
                    - aarch64
                """);
    }

    @Test
    void anInvalidRequestListsEveryProblem() {
        Run run = run(List.of("render", "plan", "--config", CONFIG, "--git-uri", "nope", "--scratch", "--isolated"));

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("""
                strata: invalid build request, 5 problems: [MISSING_COMPONENT]
                  component: no component given [MISSING_COMPONENT]
                  git_uri: 'nope' is not a git URI [MALFORMED_GIT_URI]
                  git_ref: no git ref given [MISSING_GIT_REF]
                  isolated: a build cannot be both scratch and isolated [SCRATCH_AND_ISOLATED]
                  release: an isolated build needs a release [ISOLATED_WITHOUT_RELEASE]
                  fix: set component to the name of the component (Koji package) to build (--component)
                  fix: write git_uri as https://host/repo.git, git://host/repo, ssh://user@host/repo, file:///path \
                or user@host:path (--git-uri)
                  fix: set git_ref to the commit, tag or branch to build (--git-ref)
                  fix: set only one of scratch and isolated (--isolated)
                  fix: set release to the release being rebuilt, e.g. 3.1 (--release)
                """);
    }

    @Test
    void aBadConfigurationPrintsItsWarningsAndEveryError() throws Exception {
        Path conf = dir.resolve("osbs.conf");
        Files.writeString(conf, "[default]\nregistry_url = r.example\nverify_ssl = maybe\ncan_orchestrate = sometimes\n");

        Run run = run(args(List.of("render", "build-config", "--config", conf.toString()), SEED_REQUEST.toArray(String[]::new)));

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err().replace(conf.toString(), "osbs.conf")).isEqualTo("""
                strata: warning: osbs.conf:2: unknown key 'registry_url' in [default] is not used (fix: did you mean 'registry_uri'?)
                strata: invalid configuration, 2 problems: [CONFIG_INVALID]
                  osbs.conf:3: verify_ssl: 'maybe' is not a boolean (fix: write verify_ssl = true or verify_ssl = false \
                (also 1/0, yes/no, on/off))
                  osbs.conf:4: can_orchestrate: 'sometimes' is not a boolean (fix: write can_orchestrate = true or \
                can_orchestrate = false (also 1/0, yes/no, on/off))
                  fix: correct every problem listed above; each says what to write
                """);
    }

    @Test
    void warningsGoToStderrAndTheOutputStillComes() throws Exception {
        Path conf = dir.resolve("osbs.conf");
        Files.writeString(conf, "[default]\nnamespace = n\nregistry_url = r.example\n");

        Run run = run(args(List.of("render", "plan", "--config", conf.toString()), SEED_REQUEST.subList(0, 6).toArray(String[]::new)));

        assertThat(run.exit()).isZero();
        assertThat(run.err().replace(conf.toString(), "osbs.conf")).isEqualTo(
                "strata: warning: osbs.conf:3: unknown key 'registry_url' in [default] is not used (fix: did you mean 'registry_uri'?)\n");
        assertThat(run.out()).startsWith("{\n  \"build_type\": \"worker\",");
    }

    @Test
    void aBadCustomizationNamesFileLineAndColumn() throws Exception {
        Path customize = dir.resolve("customize.json");
        Files.writeString(customize, "{\n  \"enable_plugins\": [\n    {\"plugin_name\": \"buildah_build\", \"plugin_args\": {\"netwrok\": true}}\n  ]\n}\n");

        Run run = run(args(seed("render", "plan"), "--customize", customize.toString()));

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err().replace(customize.toString(), "customize.json")).isEqualTo("""
                strata: invalid configuration: customize.json:3:54: step 'buildah_build' has no argument 'netwrok' [CONFIG_INVALID]
                  fix: did you mean 'network'?
                """);
    }

    @Test
    void aMissingConfigFileIsAnError() {
        Run run = run(List.of("render", "plan", "--config", dir.resolve("nope.conf").toString()));

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err().replace(dir.toString(), "DIR")).isEqualTo("""
                strata: invalid configuration: DIR/nope.conf: configuration file not found [CONFIG_INVALID]
                  fix: check the path given with --config or $STRATA_CONFIG
                """);
    }

    @Test
    void unknownOutputFormatsAndBuildTypesAreUsageErrors() {
        Run format = run(args(seed("render", "plan"), "-o", "xml"));
        Run type = run(args(seed("render", "plan"), "--build-type", "builder"));

        assertThat(format.exit()).isEqualTo(CliRunner.EXIT_USAGE);
        assertThat(format.err()).isEqualTo("strata: Invalid value for option '--output': 'xml' is not json or yaml [INVALID_USAGE]\n"
                + "  fix: see `strata render plan --help`\n");
        assertThat(type.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(type.err()).isEqualTo("strata: invalid configuration: build type: unknown build type 'builder' [CONFIG_INVALID]\n"
                + "  fix: use one of: worker, orchestrator\n");
    }
}
