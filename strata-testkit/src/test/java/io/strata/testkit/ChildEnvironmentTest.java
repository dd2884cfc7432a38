package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    static final Map<String, String> PARENT = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/user",
            "STRATA_HOME", "/home/user/decoy", "STRATA_CONFIG", "/home/user/osbs.conf", "KUBECONFIG", "/home/user/.kube/prod",
            "XDG_DATA_HOME", "/home/user/.local/share", "SECRET_TOKEN", "s3cr3t");

    @Test
    void aChildGetsTheMeansToRunAndItsOwnHomeButNothingOfTheUsersStrata() {
        ProcessBuilder builder = ChildEnvironment.from(PARENT, Path.of("/tmp/test-home")).processBuilder(List.of("true"));

        assertThat(builder.environment()).containsOnly(Map.entry("PATH", "/usr/bin:/bin"), Map.entry("HOME", "/tmp/test-home"));
    }

    @Test
    void aVariableTheTestChoosesIsKept() {
        ProcessBuilder builder = ChildEnvironment.from(PARENT, Path.of("/tmp/h")).with("STRATA_INSTANCE", "test")
                .processBuilder(List.of("true"));

        assertThat(builder.environment()).containsEntry("STRATA_INSTANCE", "test").doesNotContainKey("STRATA_HOME");
    }

    @Test
    void aLeakIntoAChildFailsTheTest() {
        assertThatThrownBy(() -> ChildEnvironment.requireClean(Map.of("PATH", "/bin", "STRATA_HOME", "/x"), Set.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[STRATA_HOME]");
        assertThatThrownBy(() -> ChildEnvironment.requireClean(Map.of("KUBECONFIG", "/x"), Set.of()))
                .hasMessageContaining("[KUBECONFIG]");
    }
}
