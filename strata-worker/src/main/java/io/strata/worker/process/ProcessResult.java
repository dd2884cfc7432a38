package io.strata.worker.process;

import java.util.List;

/**
 * How a finished process ended: its exit code and the last lines it printed (standard output and
 * error interleaved as they arrived, secrets already masked), for error messages.
 */
public record ProcessResult(int exitCode, List<String> tail) {
    public ProcessResult {
        tail = List.copyOf(tail);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public String tailText() {
        return String.join("\n", tail);
    }
}
