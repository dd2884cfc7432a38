package io.strata.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Ends a process and everything it started. Descendants are asked first, so that a parent that
 * reaps its children (buildah waiting on a RUN step) does not restart or orphan them; then the
 * process itself. SIGTERM first; SIGKILL for whatever is still running after the grace period.
 */
final class ProcessTree {
    private static final Duration POLL = Duration.ofMillis(20);

    private ProcessTree() {}

    static void terminate(ProcessHandle root, Duration gracePeriod) {
        Set<ProcessHandle> tree = new LinkedHashSet<>(root.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        root.destroy();
        tree.add(root);
        awaitExit(tree, gracePeriod);
        // Children started during the grace period, and the ones already known, get no more time.
        Set<ProcessHandle> survivors = new LinkedHashSet<>(root.descendants().toList());
        survivors.addAll(tree);
        survivors.removeIf(handle -> !isRunning(handle));
        survivors.forEach(ProcessHandle::destroyForcibly);
        awaitExit(survivors, gracePeriod);
    }

    /**
     * Whether the process still runs. Unlike {@link ProcessHandle#isAlive()} a zombie counts as
     * ended: a killed grandchild is re-parented to PID 1 and stays a zombie until that init reaps
     * it, which inside containers can take a while (or forever); it holds no resources any more.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            // Format: "pid (command) state ...": the command may contain spaces and parentheses.
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException | RuntimeException unreadable) {
            return handle.isAlive(); // no /proc (not Linux): trust the JDK
        }
    }

    private static void awaitExit(Set<ProcessHandle> processes, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (processes.stream().anyMatch(ProcessTree::isRunning) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                // Already cancelling: finish ending the tree, then let the caller see the interrupt.
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
