package io.strata.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import io.strata.core.render.Golden;
import io.strata.core.render.TestConfigs;
import io.strata.core.request.BuildRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanRendererTest {

    private static Plan render(String buildType, String customize, PlanOverrides overrides) throws ConfigException {
        return PlanRenderer.render(buildType, 6, Optional.ofNullable(customize).map(c -> new CustomizeJson("customize.json", c)),
                overrides);
    }

    private static List<String> names(Plan plan) {
        return plan.steps().stream().map(PlanStep::name).toList();
    }

    @Test
    void workerPlanOfTheSeedRequest() throws Exception {
        Plan plan = render("worker", null, PlanOverrides.from(TestConfigs.seedRequest(), TestConfigs.seedConfig()));

        Golden.assertMatches("plan-worker-6.json", plan.toJson());
    }

    @Test
    void orchestratorPlanOfTheSeedRequest() throws Exception {
        Plan plan = render("orchestrator", null, PlanOverrides.from(TestConfigs.seedRequest(), TestConfigs.seedConfig()));

        Golden.assertMatches("plan-orchestrator-6.json", plan.toJson());
    }

    @Test
    void templatesFollowTheCatalogueOrder() throws Exception {
        assertThat(names(render("worker", null, PlanOverrides.none()))).containsExactly(
                "check_out_source", "pin_base_images", "add_labels_in_dockerfile", "inject_yum_repos", "add_build_env",
                "buildah_build", "tag_and_push", "gather_image_content", "attach_sbom", "attach_provenance",
                "export_koji_metadata");
        assertThat(names(render("orchestrator", null, PlanOverrides.none()))).containsExactly(
                "check_out_source", "pin_base_images", "orchestrate_build", "group_manifests", "export_koji_metadata");
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        Plan plan = render("worker", null, PlanOverrides.none());

        PlanStep labels = plan.step("add_labels_in_dockerfile").orElseThrow();
        assertThat(labels.stringListArg("required_labels")).containsExactly("com.redhat.component", "name", "version");
        assertThat(labels.stringMapArg("labels")).isEmpty();
        assertThat(plan.step("buildah_build").orElseThrow().boolArg("layers", false)).isTrue();
        assertThat(plan.step("buildah_build").orElseThrow().boolArg("network", true)).isFalse();
        assertThat(plan.step("tag_and_push").orElseThrow().stringListArg("floating_tags")).containsExactly("latest");
        assertThat(plan.step("export_koji_metadata").orElseThrow().allowedToFail()).isTrue();
    }

    static Stream<Arguments> floatingTags() {
        return Stream.of(
                Arguments.of(false, false, List.of("latest")),
                Arguments.of(true, false, List.of()),
                Arguments.of(false, true, List.of()));
    }

    @ParameterizedTest(name = "scratch={0} isolated={1} -> {2}")
    @MethodSource("floatingTags")
    void scratchAndIsolatedBuildsGetNoFloatingTags(boolean scratch, boolean isolated, List<String> expected) throws Exception {
        PlanOverrides overrides = new PlanOverrides(scratch, isolated, List.of("x86_64"), Map.of());
        String customize = "{\"enable_plugins\": [{\"plugin_name\": \"tag_and_push\", \"plugin_args\": {\"floating_tags\": [\"latest\"]}}]}";

        assertThat(render("worker", customize, overrides).step("tag_and_push").orElseThrow().stringListArg("floating_tags"))
                .isEqualTo(expected);
        assertThat(render("orchestrator", null, overrides).step("group_manifests").orElseThrow().stringListArg("floating_tags"))
                .isEqualTo(expected);
    }

    @Test
    void theExampleCustomizationDisablesAddsAndChangesSteps() throws Exception {
        Plan plan = PlanRenderer.render("worker", 6, Optional.of(CustomizeJson.read(java.nio.file.Path.of("../examples/customize.json"))),
                PlanOverrides.none());

        assertThat(names(plan)).doesNotContain("gather_image_content");
        assertThat(plan.step("buildah_build").orElseThrow().boolArg("network", false)).isTrue();
        assertThat(plan.step("tag_and_push").orElseThrow().stringListArg("floating_tags")).containsExactly("latest", "stable");
        assertThat(plan.step("add_build_env").orElseThrow().stringMapArg("env")).containsExactly(Map.entry("GOFLAGS", "-mod=vendor"));
    }

    @Test
    void aReEnabledStepGoesToTheEndOfItsPhaseOrAfterTheNamedStep() throws Exception {
        String endOfPhase = """
                {"disable_plugins": [{"plugin_name": "pin_base_images"}],
                 "enable_plugins": [{"plugin_name": "pin_base_images"}]}""";
        String after = """
                {"disable_plugins": [{"plugin_name": "pin_base_images"}],
                 "enable_plugins": [{"plugin_name": "pin_base_images", "after": "inject_yum_repos"}]}""";

        assertThat(names(render("worker", endOfPhase, PlanOverrides.none())).subList(0, 5)).containsExactly(
                "check_out_source", "add_labels_in_dockerfile", "inject_yum_repos", "add_build_env", "pin_base_images");
        assertThat(names(render("worker", after, PlanOverrides.none())).subList(0, 5)).containsExactly(
                "check_out_source", "add_labels_in_dockerfile", "inject_yum_repos", "pin_base_images", "add_build_env");
    }

    @Test
    void disablingAStepOfTheOtherBuildTypeIsHarmless() throws Exception {
        String customize = "{\"disable_plugins\": [{\"plugin_name\": \"orchestrate_build\"}]}";

        assertThat(names(render("worker", customize, PlanOverrides.none()))).hasSize(11);
    }

    @Test
    void requestLabelsWinOverConfiguredOnes() throws Exception {
        BuildRequest request = TestConfigs.seedRequest().toBuilder()
                .labels(Map.of("vendor", "Example Corp", "io.k8s.description", "hello")).release("7").build();

        Plan plan = render("worker", null, PlanOverrides.from(request, TestConfigs.seedConfig()));

        assertThat(plan.step("add_labels_in_dockerfile").orElseThrow().stringMapArg("labels")).containsExactly(
                Map.entry("authoritative-source-url", "registry.fedoraproject.org"),
                Map.entry("distribution-scope", "public"),
                Map.entry("io.k8s.description", "hello"),
                Map.entry("release", "7"),
                Map.entry("vendor", "Example Corp"));
    }

    static Stream<Arguments> badCustomizations() {
        return Stream.of(
                Arguments.of("{\"enable_plugins\": [{\"plugin_name\": \"buildah_bild\"}]}",
                        List.of("customize.json:1:37: unknown step 'buildah_bild' (fix: did you mean 'buildah_build'?)")),
                Arguments.of("{\"enable_plugins\": [{\"plugin_name\": \"buildah_build\", \"plugin_args\": {\"netwrok\": true}}]}",
                        List.of("customize.json:1:70: step 'buildah_build' has no argument 'netwrok' (fix: did you mean 'network'?)")),
                Arguments.of("{\"enable_plugins\": [{\"plugin_name\": \"buildah_build\", \"plugin_args\": {\"network\": \"yes\"}}]}",
                        List.of("customize.json:1:81: buildah_build.network: expected true or false, found a string "
                                + "(fix: write true or false)")),
                Arguments.of("{\"enable_plugins\": [{\"plugin_name\": \"check_out_source\", \"plugin_args\": {\"depth\": 1}}]}",
                        List.of("customize.json:1:73: step 'check_out_source' has no argument 'depth' "
                                + "(fix: remove it; check_out_source takes no arguments)")),
                Arguments.of("{\"disable_plugins\": [{\"plugin_type\": \"exit_plugins\", \"plugin_name\": \"buildah_build\"}]}",
                        List.of("customize.json:1:38: step 'buildah_build' runs in BUILD, not EXIT "
                                + "(fix: leave plugin_type out, or write the step's own phase)")),
                Arguments.of("{\"enable_plugins\": [{\"plugin_name\": \"orchestrate_build\"}]}",
                        List.of("customize.json:1:37: step 'orchestrate_build' does not run in worker builds "
                                + "(fix: remove it; it runs in orchestrator builds)")),
                Arguments.of("{\"enable_plugins\": [{\"plugin_name\": \"gather_image_content\", \"after\": \"check_out_source\"}],"
                                + " \"disable_plugins\": [{\"plugin_name\": \"gather_image_content\"}]}",
                        List.of("customize.json:1:70: 'gather_image_content' (POSTBUILD) cannot run after 'check_out_source' "
                                + "(PREBUILD) (fix: name a step next to the POSTBUILD steps, or leave 'after' out)")),
                Arguments.of("{\"enable_plugin\": [], \"disable_plugins\": [{\"name\": \"x\"}]}",
                        List.of("customize.json:1:2: unknown key 'enable_plugin' (fix: did you mean 'enable_plugins'?)",
                                "customize.json:1:44: unknown key 'disable_plugins[0].name' (fix: use one of the known keys "
                                        + "of disable_plugins[0]: plugin_name, plugin_type)",
                                "customize.json:1:43: missing required key 'disable_plugins[0].plugin_name' "
                                        + "(fix: add plugin_name: <a string>)")),
                Arguments.of("{\"enable_plugins\": [", List.of(
                        "customize.json:1:21: syntax error: Unexpected end-of-input: expected close marker for Array "
                                + "(start marker at line 1, column 20) (fix: correct the syntax at this position)")));
    }

    @ParameterizedTest
    @MethodSource("badCustomizations")
    void badCustomizationsAreReportedWithTheirPositions(String customize, List<String> expected) {
        assertThatThrownBy(() -> render("worker", customize, PlanOverrides.none()))
                .isInstanceOfSatisfying(ConfigException.class, e ->
                        assertThat(e.problems()).map(ConfigProblem::describe).containsExactlyElementsOf(expected));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String customize = """
                {"enable_plugins": [
                  {"plugin_name": "nope"},
                  {"plugin_name": "buildah_build", "plugin_args": {"layers": 1}}
                ]}""";

        assertThatThrownBy(() -> render("worker", customize, PlanOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        invalid configuration, 2 problems:
                          customize.json:2:19: unknown step 'nope' (fix: use one of the known steps: add_build_env, \
                        add_labels_in_dockerfile, attach_provenance, attach_sbom, buildah_build, check_out_source, \
                        export_koji_metadata, gather_image_content, \
                        group_manifests, inject_yum_repos, orchestrate_build, pin_base_images, tag_and_push)
                          customize.json:3:62: buildah_build.layers: expected true or false, found an integer (fix: write true or false)""");
    }

    @Test
    void unknownBuildTypesAndArrangementVersionsAreRefused() {
        assertThatThrownBy(() -> PlanRenderer.render("builder", 6, Optional.empty(), PlanOverrides.none()))
                .hasMessage("invalid configuration: build type: unknown build type 'builder'")
                .extracting(e -> ((ConfigException) e).hint()).isEqualTo("use one of: worker, orchestrator");
        assertThatThrownBy(() -> PlanRenderer.render("worker", 5, Optional.empty(), PlanOverrides.none()))
                .hasMessage("invalid configuration: arrangement_version: no arrangement version 5 (known: [6])")
                .extracting(e -> ((ConfigException) e).hint()).isEqualTo("set arrangement_version = 6");
    }

    @Test
    void everyTemplateStepIsInTheCatalogueForItsBuildType() throws Exception {
        for (String buildType : StepCatalog.BUILD_TYPES) {
            for (PlanStep step : render(buildType, null, PlanOverrides.none()).steps()) {
                StepCatalog.StepSpec spec = StepCatalog.standard().step(step.name()).orElseThrow();
                assertThat(spec.buildTypes()).contains(buildType);
                assertThat(step.phase()).isEqualTo(spec.phase());
                assertThat(step.args().keySet()).isEqualTo(spec.args().keySet());
            }
        }
    }

    @Test
    void aPlanWhoseStepNeedsWhatNoEarlierStepProvidesIsRefused() {
        String customize = "{\"disable_plugins\": [{\"plugin_name\": \"buildah_build\"}]}";

        assertThatThrownBy(() -> render("worker", customize, PlanOverrides.none()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).map(ConfigProblem::describe)
                        .contains("customize.json: step 'tag_and_push' needs the built image, which no earlier step of the"
                                + " plan provides (fix: enable 'buildah_build' or 'orchestrate_build' before it, or disable"
                                + " 'tag_and_push')"));
    }

    @Test
    void aRequiredStepMayNotDependOnOneAllowedToFail() {
        assertThat(PlanChain.problems("plan", List.of(
                new PlanStep("check_out_source", StepPhase.PREBUILD, false, true, Map.of()),
                new PlanStep("add_labels_in_dockerfile", StepPhase.PREBUILD, true, false, Map.of())), StepCatalog.standard()))
                .map(ConfigProblem::describe).containsExactly(
                        "plan: step 'add_labels_in_dockerfile' must not fail but needs the checked-out source from"
                                + " 'check_out_source', which is allowed to fail (fix: make 'check_out_source' required,"
                                + " or allow 'add_labels_in_dockerfile' to fail)",
                        "plan: step 'add_labels_in_dockerfile' must not fail but needs the parsed Dockerfile from"
                                + " 'check_out_source', which is allowed to fail (fix: make 'check_out_source' required,"
                                + " or allow 'add_labels_in_dockerfile' to fail)");
    }

    @Test
    void theStandardTemplatesChainTheirSteps() {
        for (String buildType : StepCatalog.BUILD_TYPES) {
            assertThat(catchThrowable(() -> render(buildType, null, PlanOverrides.none()))).as(buildType).isNull();
        }
    }
}
