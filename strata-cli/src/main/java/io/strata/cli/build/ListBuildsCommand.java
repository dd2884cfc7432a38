package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildState;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata list-builds}: the builds in the store, newest first. */
@Command(name = "list-builds", mixinStandardHelpOptions = true, description = "List builds, newest first.")
public final class ListBuildsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--component", description = "Only builds of this component.")
    String component;

    @Option(names = "--state", description = "Only builds in this state (any case): ${COMPLETION-CANDIDATES}.")
    BuildState state;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BuildStore store = StoreAccess.open(configOptions.load(spec.commandLine().getErr()).config())) {
            List<BuildSummary> builds = store.list(new BuildQuery(Optional.ofNullable(component), Optional.ofNullable(state), limit));
            if (json) {
                out.println(RecordJson.write(builds));
            } else if (builds.isEmpty()) {
                out.println(nothingListed(store));
            } else {
                out.printf("%-22s %-20s %-10s %-20s %s%n", "ID", "COMPONENT", "STATE", "CREATED", "RESULT");
                for (BuildSummary b : builds) {
                    out.printf("%-22s %-20s %-10s %-20s %s%n", b.id(), b.component(), b.state(),
                            DateTimeFormatter.ISO_INSTANT.format(b.createdAt().truncatedTo(ChronoUnit.SECONDS)),
                            b.pullspec().or(() -> b.failureReason()).orElse(""));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** An empty list because of the filters is not an empty store: say which. */
    private String nothingListed(BuildStore store) throws StrataException {
        if (component == null && state == null) {
            return "no builds yet; start one with `strata build` or `strata demo`";
        }
        List<String> filters = new java.util.ArrayList<>();
        Optional.ofNullable(component).ifPresent(c -> filters.add("component " + c));
        Optional.ofNullable(state).ifPresent(s -> filters.add("state " + s));
        boolean any = !store.list(new BuildQuery(Optional.empty(), Optional.empty(), 1)).isEmpty();
        return "no builds match " + String.join(" and ", filters)
                + (any ? "; `strata list-builds` without filters lists them all" : "; there are no builds yet");
    }
}
