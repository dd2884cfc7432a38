package io.strata.kube.worker;

import io.strata.core.build.ImageOutput;
import io.strata.core.engine.WorkerResult;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Listens to a worker in a pod: prints each log line on stdout as {@code [step] text} (the pod's
 * log, which the engine streams into the build's record) and keeps what the result document
 * reports: steps with timings, the commit, the pushed images, the Koji metadata.
 */
public final class ResultCollector implements BuildListener {
    private final PrintStream out;
    private final Map<String, ResultDocument.StepRun> steps = new LinkedHashMap<>();
    private final Map<String, int[]> positions = new LinkedHashMap<>();
    private final List<ImageOutput> outputs = new ArrayList<>();
    private Optional<String> commit = Optional.empty();
    private Optional<String> kojiMetadata = Optional.empty();

    public ResultCollector(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void on(BuildEvent event) {
        switch (event) {
            case BuildEvent.LogEmitted log -> {
                out.println("[" + log.line().step() + "] " + log.line().text());
                out.flush();
            }
            case BuildEvent.StepStarted started -> positions.put(started.step(), new int[] {started.index(), started.total()});
            case BuildEvent.StepFinished finished -> {
                int[] at = positions.getOrDefault(finished.timing().step(), new int[] {steps.size() + 1, 0});
                steps.put(finished.timing().step(), new ResultDocument.StepRun(at[0], at[1], finished.timing(), finished.detail()));
            }
            case BuildEvent.SourceCheckedOut checkedOut -> commit = Optional.of(checkedOut.commitId());
            case BuildEvent.ImagePushed pushed -> {
                outputs.removeIf(o -> o.platform().equals(pushed.output().platform()) && o.digest().equals(pushed.output().digest()));
                outputs.add(pushed.output());
            }
            case BuildEvent.MetadataExported metadata -> kojiMetadata = Optional.of(metadata.kojiMetadataJson());
            case BuildEvent.StateChanged ignored -> { }
            // Progress is in the log as lines too; the result document keeps none.
            case BuildEvent.Progress ignored -> { }
        }
    }

    public synchronized ResultDocument document(WorkerResult result) {
        return new ResultDocument(result.state(), result.failure(), result.transientFailure(), List.copyOf(steps.values()), commit,
                List.copyOf(outputs), kojiMetadata);
    }
}
