package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customize document's `network: true` is the open policy: refused up front where open is not permitted. */
class HostNetworkPlanTest {
    @TempDir
    Path home;

    private Configuration config(Map<String, String> overrides) throws Exception {
        ConfigSource source = new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home);
        for (var e : overrides.entrySet()) {
            source = source.withOverride(e.getKey(), e.getValue());
        }
        return ConfigLoader.load(source).config();
    }

    private static Plan plan(boolean network) {
        return new Plan("worker", 6, List.of(new PlanStep("buildah_build", StepPhase.BUILD, true, false,
                Map.of("network", network))));
    }

    @Test
    void theHostsNetworkUnderTheDefaultConfigurationIsForbidden() throws Exception {
        assertThatThrownBy(() -> BuildahBuildStep.checkPermitted(plan(true), config(Map.of())))
                .isInstanceOfSatisfying(StrataException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo("NETWORK_POLICY_FORBIDDEN");
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("network: true",
                            "strata_build_network_permit = none,allowlist");
                    org.assertj.core.api.Assertions.assertThat(e.hint()).contains("customize document");
                });
    }

    @Test
    void theHostsNetworkIsAllowedWhereOpenIsPermittedAndAPlanWithoutItAlways() throws Exception {
        assertThatCode(() -> BuildahBuildStep.checkPermitted(plan(true),
                config(Map.of("strata_build_network_permit", "none,allowlist,open")))).doesNotThrowAnyException();
        assertThatCode(() -> BuildahBuildStep.checkPermitted(plan(false), config(Map.of()))).doesNotThrowAnyException();
    }
}
