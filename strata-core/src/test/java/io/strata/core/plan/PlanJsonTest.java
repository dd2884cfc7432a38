package io.strata.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlanJsonTest {

    @Test
    void plansRoundTripThroughJson() throws Exception {
        for (String buildType : StepCatalog.BUILD_TYPES) {
            Plan plan = PlanRenderer.render(buildType, 6, Optional.empty(),
                    new PlanOverrides(false, false, List.of("x86_64", "aarch64"), Map.of("vendor", "Example")));

            assertThat(Plan.fromJson("stored plan", plan.toJson())).isEqualTo(plan);
        }
    }

    @Test
    void randomlyCustomisedPlansRoundTrip() throws Exception {
        Random random = new Random(20261122L);
        for (int i = 0; i < 50; i++) {
            String customize = "{\"enable_plugins\": [{\"plugin_name\": \"buildah_build\", \"plugin_args\": {\"network\": "
                    + random.nextBoolean() + ", \"layers\": " + random.nextBoolean() + "}}, {\"plugin_name\": \"add_build_env\", "
                    + "\"plugin_args\": {\"env\": {\"K" + random.nextInt(1000) + "\": \"v" + random.nextInt() + "\"}}}]}";
            Plan plan = PlanRenderer.render("worker", 6, Optional.of(new CustomizeJson("random", customize)), PlanOverrides.none());

            assertThat(Plan.fromJson("stored plan", plan.toJson())).isEqualTo(plan);
        }
    }

    @Test
    void aStoredPlanIsCheckedAgainstTheCatalogue() {
        String stored = """
                {
                  "build_type": "worker",
                  "arrangement_version": 6,
                  "steps": [
                    {"name": "buildah_build", "phase": "PREBUILD", "required": true, "allowed_to_fail": false,
                     "args": {"layers": "yes"}},
                    {"name": "rm_everything", "phase": "EXIT", "required": true, "allowed_to_fail": false, "args": {}}
                  ]
                }""";

        assertThatThrownBy(() -> Plan.fromJson("build 7 plan", stored))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).map(ConfigProblem::describe)
                        .containsExactly(
                                "build 7 plan:5:40: step 'buildah_build' runs in BUILD, not PREBUILD (fix: write \"phase\": \"BUILD\")",
                                "build 7 plan:6:25: buildah_build.layers: expected true or false, found a string (fix: write true or false)",
                                "build 7 plan:7:14: unknown step 'rm_everything' (fix: use one of the known steps: add_build_env, "
                                        + "add_labels_in_dockerfile, attach_provenance, attach_sbom, buildah_build, check_out_source, "
                                        + "export_koji_metadata, "
                                        + "gather_image_content, group_manifests, inject_yum_repos, orchestrate_build, "
                                        + "pin_base_images, tag_and_push)"));
    }

    @Test
    void typedAccessorsReadArguments() {
        PlanStep step = new PlanStep("add_labels_in_dockerfile", StepPhase.PREBUILD, true, false,
                Map.of("labels", Map.of("b", "2", "a", "1"), "required_labels", List.of("name")));

        assertThat(step.stringMapArg("labels")).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(step.stringListArg("required_labels")).containsExactly("name");
        assertThat(step.stringListArg("missing")).isEmpty();
        assertThat(step.stringArg("missing")).isEmpty();
        assertThat(step.boolArg("missing", true)).isTrue();
        assertThatThrownBy(() -> step.boolArg("labels", false))
                .hasMessage("argument labels of step add_labels_in_dockerfile is not a Boolean");
    }

    @Test
    void stepsOutOfPhaseOrderAreRefused() {
        PlanStep exit = new PlanStep("export_koji_metadata", StepPhase.EXIT, false, true, Map.of());
        PlanStep prebuild = new PlanStep("check_out_source", StepPhase.PREBUILD, true, false, Map.of());

        assertThatThrownBy(() -> new Plan("worker", 6, List.of(exit, prebuild)))
                .hasMessage("step check_out_source (PREBUILD) comes after export_koji_metadata (EXIT)");
    }

    @Test
    void pluginTypesReadBothSpellings() {
        assertThat(StepPhase.fromPluginType("prebuild_plugins")).contains(StepPhase.PREBUILD);
        assertThat(StepPhase.fromPluginType("buildstep_plugins")).contains(StepPhase.BUILD);
        assertThat(StepPhase.fromPluginType("prepublish_plugins")).contains(StepPhase.POSTBUILD);
        assertThat(StepPhase.fromPluginType("postbuild_plugins")).contains(StepPhase.POSTBUILD);
        assertThat(StepPhase.fromPluginType("EXIT")).contains(StepPhase.EXIT);
        assertThat(StepPhase.fromPluginType("input_plugins")).isEmpty();
    }
}
