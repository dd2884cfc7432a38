package io.strata.cli.autorebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.TestCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata autorebuild enable|list|disable} on the embedded store of a test home. */
class AutorebuildCommandTest {
    @TempDir
    Path home;

    @Test
    void policiesAreEnabledListedAndDisabled() {
        TestCli cli = TestCli.in(home);
        assertThat(cli.run("autorebuild", "list").out()).contains("no autorebuild policies");

        TestCli.Run enabled = cli.run("autorebuild", "enable", "--component", "app", "--git-branch", "main", "--user", "alice");
        assertThat(enabled.exit()).as(enabled.err()).isZero();
        assertThat(enabled.out()).contains("autorebuild enabled for app on branch main");
        assertThat(cli.run("autorebuild", "enable", "--component", "app", "--git-branch", "main").out())
                .contains("was already enabled");
        cli.run("autorebuild", "enable", "--component", "lib", "--git-branch", "rhel-9");

        TestCli.Run listed = cli.run("autorebuild", "list");
        assertThat(listed.out().lines().skip(1).map(line -> line.split("\\s+")[0] + "@" + line.split("\\s+")[1]).toList())
                .containsExactly("app@main", "lib@rhel-9");
        assertThat(listed.out()).contains("alice");
        assertThat(cli.run("autorebuild", "list", "--json").out()).contains("\"component\" : \"app\"")
                .contains("\"git_branch\" : \"main\"");

        TestCli.Run disabled = cli.run("autorebuild", "disable", "--component", "app", "--git-branch", "main");
        assertThat(disabled.exit()).as(disabled.err()).isZero();
        assertThat(cli.run("autorebuild", "list").out()).doesNotContain("app ").contains("lib");
        TestCli.Run again = cli.run("autorebuild", "disable", "--component", "app", "--git-branch", "main");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("[AUTOREBUILD_POLICY_NOT_FOUND]");
    }
}
