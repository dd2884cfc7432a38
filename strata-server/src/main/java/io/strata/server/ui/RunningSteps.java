package io.strata.server.ui;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.service.BuildService;
import io.strata.core.service.Caller;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The step each running worker is in now: the step of the newest line of its log. The record holds
 * a step's timing only once the step has finished, so without this the waterfall would show nothing
 * for the step a build spends most of its time in (buildah_build). Reads each log onwards from
 * where it last stopped.
 */
final class RunningSteps {
    private static final int PAGE = 1000;

    private final Map<String, Long> read = new HashMap<>();
    private final Map<String, String> steps = new HashMap<>();

    /** Reads the new lines of every running worker's log; the answer maps a log's build id to its current step. */
    Map<String, String> update(BuildService service, Caller caller, BuildView build) throws StrataException {
        for (BuildView.Worker worker : build.workers()) {
            if (!"RUNNING".equals(worker.state())) {
                steps.remove(worker.logBuildId());
                continue;
            }
            BuildId log = new BuildId(worker.logBuildId());
            long after = read.getOrDefault(log.value(), 0L);
            List<LogLine> lines;
            do {
                lines = service.logs(log, after, PAGE, caller);
                if (!lines.isEmpty()) {
                    after = lines.getLast().sequence();
                    steps.put(log.value(), lines.getLast().step());
                }
            } while (lines.size() == PAGE);
            read.put(log.value(), after);
        }
        return Map.copyOf(steps);
    }
}
