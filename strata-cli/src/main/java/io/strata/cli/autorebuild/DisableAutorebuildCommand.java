package io.strata.cli.autorebuild;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata autorebuild disable --component C --git-branch B}: removes the policy. */
@Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop rebuilding the component when a parent changes.")
public final class DisableAutorebuildCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    PolicyOptions policy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcBuildStore store = io.strata.cli.tokens.TokenStore.open(configOptions, spec.commandLine().getErr())) {
            if (!store.autorebuilds().disable(policy.component, policy.gitBranch)) {
                throw new StrataException("AUTOREBUILD_POLICY_NOT_FOUND", "there is no autorebuild policy for "
                        + policy.component + " on branch " + policy.gitBranch,
                        "`strata autorebuild list` shows the policies");
            }
            out.println("autorebuild disabled for " + policy.component + " on branch " + policy.gitBranch);
            out.flush();
            return 0;
        }
    }
}
