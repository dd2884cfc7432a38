package io.strata.worker.process;

/**
 * Told which process group a {@link ProcessRunner} child runs in while it runs, so that whoever
 * owns the work can record it: if this JVM dies, another process can still stop that group (see
 * docs/store.md, Leases). Called on the thread that runs the command.
 */
public interface ProcessGroupObserver {
    ProcessGroupObserver NONE = new ProcessGroupObserver() {
        @Override
        public void started(long processGroup) {
            // nobody to tell
        }

        @Override
        public void ended(long processGroup) {
            // nobody to tell
        }
    };

    /**
     * Variables to add to the child's environment, read on the calling thread before it starts:
     * a mark that lets another process find the child (and what it started) even if this JVM dies
     * before {@link #started} could record the group.
     */
    default java.util.Map<String, String> environment() {
        return java.util.Map.of();
    }

    void started(long processGroup);

    void ended(long processGroup);
}
