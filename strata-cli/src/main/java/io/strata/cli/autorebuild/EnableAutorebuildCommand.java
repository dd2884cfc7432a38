package io.strata.cli.autorebuild;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata autorebuild enable --component C --git-branch B}: registers the policy. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Rebuild the component's last successful build on the branch when one of its parent images changes.")
public final class EnableAutorebuildCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--user", paramLabel = "NAME", description = "Who enables it (recorded with the policy).")
    String user;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcBuildStore store = io.strata.cli.tokens.TokenStore.open(configOptions, spec.commandLine().getErr())) {
            boolean added = store.autorebuilds().enable(policy.component, policy.gitBranch, Optional.ofNullable(user));
            out.println("autorebuild " + (added ? "enabled" : "was already enabled") + " for " + policy.component
                    + " on branch " + policy.gitBranch + "; strata serve rebuilds it when a parent image changes");
            out.flush();
            return 0;
        }
    }
}
