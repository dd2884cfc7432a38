package io.strata.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Log lines written by work on a background thread (a document being written, the sources resolved
 * ahead, a listing), kept until the step they belong to takes them, so that they are logged under
 * that step and in order.
 */
final class KeptLines implements Consumer<String> {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void accept(String line) {
        lines.add(line);
    }

    /** The lines kept so far, in order; each given once. */
    synchronized List<String> drain() {
        List<String> taken = List.copyOf(lines);
        lines.clear();
        return taken;
    }
}
