package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepTiming;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata watch-build ID}: follows a build that runs in another process (or that has ended)
 * from its record: each state change, each step as it starts and as it ends, until the build ends;
 * then prints the outcome as {@code strata build} would and exits with the build's exit code
 * (0 COMPLETE, 1 FAILED, 4 CANCELLED). osbs-client's verb of the same name.
 */
@Command(name = "watch-build", mixinStandardHelpOptions = true,
        description = "Follow a build's state and steps until it ends; exit with the build's exit code.")
public final class WatchBuildCommand implements Callable<Integer> {
    private static final long POLL_MILLIS = 300;
    private static final int LOG_PAGE = 1000;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions serverOptions;

    @Parameters(paramLabel = "ID", description = "The build id, as `strata list-builds` shows it.")
    String id;

    @Option(names = "--json", description = "At the end, print the whole record as JSON on stdout instead of the pullspec.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ServiceHandle services = ServiceAccess.open(configOptions.load(err).config(), serverOptions)) {
            Progress progress = new Progress(err);
            while (true) {
                // A watched build whose owner was killed would otherwise be watched until some other command ran.
                services.endOrphanedBuildsIfDue();
                BuildRecord build = ServiceAccess.find(services, id);
                progress.show(build, progress.runningStep(services, build.id()));
                if (build.state().isTerminal()) {
                    return LocalBuilds.report(build, json, out, err);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** What has been shown so far, so each change is printed once. */
    private static final class Progress {
        private final PrintWriter err;
        private int transitionsShown;
        private int stepsShown;
        private String runningShown = "";
        private long logCursor;
        private String lastLoggedStep = "";

        Progress(PrintWriter err) {
            this.err = err;
        }

        /** The newest log line tells which step runs now: the record holds a step's timing only once it ends. */
        String runningStep(ServiceHandle services, BuildId id) throws StrataException {
            List<LogLine> page;
            do {
                page = services.builds().logs(id, logCursor, LOG_PAGE, ServiceAccess.localUser());
                for (LogLine line : page) {
                    logCursor = line.sequence();
                    lastLoggedStep = line.step() == null ? lastLoggedStep : line.step();
                }
            } while (page.size() == LOG_PAGE);
            return lastLoggedStep;
        }

        void show(BuildRecord build, String runningStep) {
            List<StateTransition> transitions = build.transitions();
            for (; transitionsShown < transitions.size(); transitionsShown++) {
                err.println("build " + build.id() + ": " + transitions.get(transitionsShown).state());
            }
            List<StepTiming> steps = build.steps();
            for (; stepsShown < steps.size(); stepsShown++) {
                StepTiming step = steps.get(stepsShown);
                err.println("[" + step.step() + "] " + step.outcome().name().toLowerCase(Locale.ROOT) + " in "
                        + ProgressPrinter.seconds(step.duration()));
            }
            boolean finished = steps.stream().anyMatch(s -> s.step().equals(runningStep));
            if (!build.state().isTerminal() && !runningStep.isEmpty() && !finished && !runningStep.equals(runningShown)) {
                err.println("[" + runningStep + "] running ...");
                runningShown = runningStep;
            }
            err.flush();
        }
    }
}
