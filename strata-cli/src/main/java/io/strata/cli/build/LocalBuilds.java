package io.strata.cli.build;

import io.strata.cli.CliRunner;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
import io.strata.core.config.Configuration;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.local.buildah.BuildahOptions;
import io.strata.local.registry.Platform;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** What `strata build` and `strata demo` share: planning, running with Ctrl-C handling, reporting. */
public final class LocalBuilds {
    private LocalBuilds() {}

    /**
     * The local engine builds for this machine's platform only. No platforms asked: this one.
     * Others asked: refused with a clear reason rather than built for the wrong CPU.
     */
    public static BuildRequest forThisMachine(BuildRequest request) throws StrataException {
        String here = Platform.current().kojiArch();
        if (request.platforms().isEmpty()) {
            return request.toBuilder().platforms(List.of(here)).build();
        }
        List<String> others = request.platforms().stream().filter(p -> !p.equals(here)).toList();
        if (!others.isEmpty()) {
            throw new StrataException("PLATFORM_NOT_LOCAL",
                    "the local engine builds for this machine's platform (" + here + ") only, not " + String.join(", ", others),
                    "leave --platforms out, or pass --platforms " + here);
        }
        return request;
    }

    /**
     * Only the local engine exists so far. A configuration asking for a cluster engine is refused
     * rather than silently built on this machine.
     */
    public static void requireLocalEngine(Configuration config) throws StrataException {
        if (config.strata().engine() != io.strata.core.config.StrataEngine.LOCAL) {
            throw new StrataException("ENGINE_NOT_AVAILABLE",
                    "strata_engine = " + config.strata().engine().name().toLowerCase(java.util.Locale.ROOT)
                            + " is not available yet: this Strata builds on the local engine only",
                    "set strata_engine = local in the [" + config.instance() + "] section (or unset STRATA_ENGINE)");
        }
    }

    public static Plan workerPlan(BuildRequest request, Configuration config, Path customize) throws StrataException {
        Optional<CustomizeJson> customization = CustomizeJson.readIfGiven(customize);
        return PlanRenderer.render("worker", config.arrangementVersion(), customization, PlanOverrides.from(request, config));
    }

    /** buildah's storage: the system's unless the configuration names a root of its own (tests, the demo). */
    public static BuildahOptions buildahOptions(Configuration config) {
        return config.strata().buildahRoot()
                .map(root -> BuildahOptions.privateStorage(root.resolve("root"), root.resolve("runroot")))
                .orElseGet(BuildahOptions::systemDefault);
    }

    /** Work that opens the engine, builds and closes it again. */
    @FunctionalInterface
    public interface EngineWork {
        int run() throws StrataException;
    }

    /**
     * Runs {@code work} on this thread with Ctrl-C (SIGINT), SIGTERM and SIGHUP handling. The signal does not
     * start the JVM's shutdown: it interrupts {@code work}, which stops buildah, records CANCELLED,
     * removes the workspace and closes the store, and only then does the command exit. (A shutdown
     * hook would race the database's own exit hook, which closes the store under the winding-down
     * build.) The first signal puts the default handler back, so a second Ctrl-C ends at once.
     */
    public static int cancellable(EngineWork work) throws StrataException {
        Thread buildThread = Thread.currentThread();
        // SIGHUP too: buildah runs in a session of its own and never sees the terminal close, so
        // Strata must stop it itself rather than exit and leave it to the next command's reconcile.
        Signal[] signals = {new Signal("INT"), new Signal("TERM"), new Signal("HUP")};
        SignalHandler[] previous = new SignalHandler[signals.length];
        SignalHandler cancel = signal -> {
            restore(signals, previous);
            buildThread.interrupt();
        };
        for (int i = 0; i < signals.length; i++) {
            previous[i] = Signal.handle(signals[i], cancel);
        }
        try {
            return work.run();
        } finally {
            restore(signals, previous);
            // A signal that came after the work ended must not leak into whatever runs next.
            Thread.interrupted();
        }
    }

    private static void restore(Signal[] signals, SignalHandler[] previous) {
        for (int i = 0; i < signals.length; i++) {
            Signal.handle(signals[i], previous[i]);
        }
    }

    /** The terminal view of a build's events; {@code follow} adds every log line. */
    public static io.strata.core.event.BuildListener progress(PrintWriter err, boolean follow) {
        return new ProgressPrinter(err, follow);
    }

    /** Prints the outcome: the pullspec (or the record as JSON) on stdout, a failure on stderr. */
    public static int report(BuildRecord record, boolean json, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(RecordJson.write(record));
        }
        if (record.state() == BuildState.COMPLETE) {
            if (!json) {
                record.outputs().stream().map(ImageOutput::pullspec).forEach(out::println);
            }
            out.flush();
            return 0;
        }
        record.failure().ifPresentOrElse(
                failure -> {
                    err.println("strata: build " + record.id() + " " + record.state() + ": " + failure.message()
                            + " [" + failure.reason() + "]");
                    if (failure.hasHint()) {
                        err.println("  fix: " + failure.hint());
                    }
                },
                () -> err.println("strata: build " + record.id() + " " + record.state()));
        err.println("  see: strata build-logs " + record.id());
        err.flush();
        return record.state() == BuildState.CANCELLED ? CliRunner.EXIT_CANCELLED : CliRunner.EXIT_FAILURE;
    }
}
