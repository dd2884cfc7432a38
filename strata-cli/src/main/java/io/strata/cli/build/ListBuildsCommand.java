package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildState;
import io.strata.core.service.BuildListQuery;
import io.strata.core.service.BuildPage;
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

    @Mixin
    ServerOptions serverOptions;

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
        try (ServiceHandle services = ServiceAccess.open(configOptions.load(spec.commandLine().getErr()).config(), serverOptions)) {
            List<BuildSummary> builds = list(services, Optional.ofNullable(component), Optional.ofNullable(state), limit);
            if (json) {
                out.println(RecordJson.write(builds));
            } else if (builds.isEmpty()) {
                out.println(nothingListed(services));
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

    /** Up to {@code limit} builds, newest first, page by page (the service serves at most 1000 at once). */
    private static List<BuildSummary> list(ServiceHandle services, Optional<String> component, Optional<BuildState> state,
            int limit) throws StrataException {
        List<BuildSummary> builds = new java.util.ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            int page = Math.min(limit - builds.size(), BuildListQuery.MAX_LIMIT);
            BuildPage next = services.builds().list(new BuildListQuery(state, component, Optional.empty(), Optional.empty(),
                    Optional.empty(), page, cursor), ServiceAccess.localUser());
            builds.addAll(next.builds());
            cursor = next.nextCursor();
        } while (cursor.isPresent() && builds.size() < limit);
        return builds;
    }

    /** An empty list because of the filters is not an empty store: say which. */
    private String nothingListed(ServiceHandle services) throws StrataException {
        if (component == null && state == null) {
            return "no builds yet; start one with `strata build` or `strata demo`";
        }
        List<String> filters = new java.util.ArrayList<>();
        Optional.ofNullable(component).ifPresent(c -> filters.add("component " + c));
        Optional.ofNullable(state).ifPresent(s -> filters.add("state " + s));
        boolean any = !list(services, Optional.empty(), Optional.empty(), 1).isEmpty();
        return "no builds match " + String.join(" and ", filters)
                + (any ? "; `strata list-builds` without filters lists them all" : "; there are no builds yet");
    }
}
