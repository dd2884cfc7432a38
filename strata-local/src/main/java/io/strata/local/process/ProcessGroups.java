package io.strata.local.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Process groups: starting a child in a group of its own, and ending a whole group later, possibly
 * from another process than the one that started it. Every child {@link ProcessRunner} starts runs
 * under {@code setsid}, which makes it the leader of a new session and process group whose id is
 * its own pid (setsid only forks when the caller already leads a group, and a child of the JVM
 * never does). Everything it starts stays in that group (buildah's RUN steps included), so the
 * group id recorded with a build is enough to stop all of it after the JVM is gone.
 */
public final class ProcessGroups {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Duration POLL = Duration.ofMillis(50);

    private ProcessGroups() {}

    /** The command line that runs {@code arguments} as the leader of a new group; unchanged without setsid. */
    static List<String> inNewGroup(List<String> arguments) {
        if (!Files.isExecutable(SETSID)) {
            return arguments;
        }
        return Stream.concat(Stream.of(SETSID.toString()), arguments.stream()).toList();
    }

    /** Whether {@code program} names an executable file, directly or on the PATH of {@code environment}. */
    static boolean canExecute(String program, Optional<Path> workingDirectory, java.util.Map<String, String> environment) {
        if (program.contains("/")) {
            return Files.isExecutable(workingDirectory.map(dir -> dir.resolve(program)).orElse(Path.of(program)));
        }
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String directory : path.split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    static boolean isAvailable() {
        return Files.isExecutable(SETSID);
    }

    /** The processes (not zombies) whose process group is {@code group}. */
    public static List<ProcessHandle> members(long group) {
        return ProcessHandle.allProcesses()
                .filter(process -> groupOf(process.pid()).orElse(-1L) == group)
                .filter(ProcessTree::isRunning)
                .toList();
    }

    /**
     * Ends every process of the group: SIGTERM first (buildah then stops its RUN step and removes
     * its working container), SIGKILL for whatever still runs after {@code gracePeriod}.
     *
     * @return how many processes the group had
     */
    public static int terminate(long group, Duration gracePeriod) {
        List<ProcessHandle> members = members(group);
        members.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        while (!members(group).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Processes that joined the group meanwhile get no more time than the others.
        members(group).forEach(ProcessHandle::destroyForcibly);
        return members.size();
    }

    /** Field 5 of /proc/PID/stat; empty when the process is gone or /proc cannot be read. */
    static Optional<Long> groupOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (command) state ppid pgrp ...": the command may contain spaces and parentheses.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }
}
