package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepTiming;
import io.strata.core.build.WorkerBuild;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata get-build ID}: one build's record. */
@Command(name = "get-build", mixinStandardHelpOptions = true,
        description = "Show one build: request, state history, step timings, outputs, failure; a multi-platform build's workers.")
public final class GetBuildCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions serverOptions;

    @Parameters(paramLabel = "ID", description = "The build id, as `strata list-builds` shows it.")
    String id;

    @Option(names = "--json", description = "Print the whole record, Koji metadata included, as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (ServiceHandle services = ServiceAccess.open(configOptions.load(spec.commandLine().getErr()).config(), serverOptions)) {
            BuildRecord build = ServiceAccess.find(services, id);
            if (json) {
                out.println(RecordJson.write(build));
            } else {
                print(build, out);
            }
            out.flush();
            return 0;
        }
    }

    private static void print(BuildRecord b, PrintWriter out) {
        var r = b.request();
        out.println("build      " + b.id());
        out.println("state      " + b.state() + b.failure().map(f -> " (" + f.reason() + ": " + f.message() + ")").orElse(""));
        b.failure().filter(f -> f.hasHint()).ifPresent(f -> out.println("fix        " + f.hint()));
        out.println("component  " + r.component());
        out.println("source     " + r.gitUri() + " " + r.gitRef() + (r.gitBranch() == null ? "" : " (" + r.gitBranch() + ")")
                + b.commitId().map(c -> " -> " + c).orElse(""));
        out.println("platforms  " + String.join(", ", r.platforms()));
        b.parent().ifPresent(parent -> out.println("worker of " + parent + " (a multi-platform build)"));
        if (b.isOrchestrator()) {
            out.println("workers");
            for (WorkerBuild w : b.workers()) {
                out.printf("  %-9s %-10s %s%s%n", w.platform(), w.state(), w.id(),
                        w.failure().map(f -> "  " + f.reason() + ": " + f.message())
                                .orElse(w.outputs().isEmpty() ? "" : "  " + w.outputs().getFirst().pullspec()));
            }
        }
        b.reusedFrom().ifPresent(from -> out.println("reused     the image of build " + from + " (nothing built)"));
        b.configOnlyFrom().ifPresent(from -> out.println("config     a new config over the layers of build " + from));
        b.autorebuildCause().ifPresent(cause -> out.println("autorebuild " + cause));
        out.println("history");
        for (StateTransition t : b.transitions()) {
            out.println("  " + t.at() + "  " + t.state());
        }
        out.println("steps");
        for (StepTiming s : b.steps()) {
            out.printf("  %-26s %-15s %s%n", s.step(), s.outcome(), ProgressPrinter.seconds(s.duration()));
        }
        for (ImageOutput o : b.outputs()) {
            out.println("output     " + o.pullspec());
            out.println("  tags     " + String.join(", ", o.tags()));
            out.println("  size     " + o.sizeBytes() + " bytes, " + o.layerDigests().size() + " layers, "
                    + o.components().size() + " rpm components");
            o.parentImages().forEach((asWritten, pinned) -> out.println("  parent   " + asWritten + " -> " + pinned));
            o.attestations().forEach(a -> out.printf("  %-8s %s@%s (%s%s, %s)%n", a.kind(), o.repository(), a.digest(),
                    a.artifactType(), a.signed() ? ", signed" : "", a.foundThrough()));
        }
        out.println("koji       " + (b.kojiMetadata().isPresent() ? "metadata recorded (see --json)" : "no metadata"));
    }
}
