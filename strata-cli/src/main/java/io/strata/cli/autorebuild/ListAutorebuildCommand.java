package io.strata.cli.autorebuild;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.AutorebuildPolicies;
import io.strata.local.store.JdbcBuildStore;
import io.strata.server.api.ApiJson;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata autorebuild list}: every policy. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the autorebuild policies.")
public final class ListAutorebuildCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcBuildStore store = io.strata.cli.tokens.TokenStore.open(configOptions, spec.commandLine().getErr())) {
            List<AutorebuildPolicies.Policy> policies = store.autorebuilds().list();
            if (json) {
                out.println(ApiJson.write(policies));
            } else if (policies.isEmpty()) {
                out.println("no autorebuild policies; add one with `strata autorebuild enable --component C --git-branch B`");
            } else {
                out.printf("%-30s %-20s %-16s %s%n", "COMPONENT", "BRANCH", "ENABLED BY", "ENABLED");
                for (AutorebuildPolicies.Policy p : policies) {
                    out.printf("%-30s %-20s %-16s %s%n", p.component(), p.gitBranch(), p.enabledBy().orElse("-"),
                            p.enabledAt().truncatedTo(ChronoUnit.SECONDS));
                }
            }
            out.flush();
            return 0;
        }
    }
}
