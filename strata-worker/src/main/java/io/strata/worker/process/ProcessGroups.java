package io.strata.worker.process;

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
        return locate(program, workingDirectory, environment).isPresent();
    }

    /** The executable file {@code program} names, directly or as the first match on the PATH of {@code environment}. */
    static Optional<Path> locate(String program, Optional<Path> workingDirectory, java.util.Map<String, String> environment) {
        if (program.contains("/")) {
            Path file = workingDirectory.map(dir -> dir.resolve(program)).orElse(Path.of(program));
            return Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
        }
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String directory : path.split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return Optional.of(Path.of(directory, program));
            }
        }
        return Optional.empty();
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

    /**
     * The process groups led by a process whose environment holds {@code name=value}: children
     * carry such a mark from {@link ProcessGroupObserver#environment()} and lead their own group
     * (setsid). Only group leaders count, and never this process's own group: without setsid a
     * marked child would share its parent's group, which may hold the user's shell or a test runner.
     */
    public static java.util.Set<Long> marked(String name, String value) {
        byte[] wanted = (name + "=" + value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long own = groupOf(ProcessHandle.current().pid()).orElse(-1L);
        java.util.Set<Long> groups = new java.util.TreeSet<>();
        ProcessHandle.allProcesses()
                .filter(process -> groupOf(process.pid()).orElse(-1L) == process.pid() && process.pid() != own)
                .filter(process -> hasVariable(process.pid(), wanted))
                .forEach(process -> groups.add(process.pid()));
        return groups;
    }

    private static boolean hasVariable(long pid, byte[] wanted) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
        // NUL-separated "NAME=value" entries.
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == wanted.length && java.util.Arrays.equals(environ, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
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
