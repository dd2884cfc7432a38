package io.strata.worker.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs an external program to completion, streaming its output line by line while it runs.
 *
 * <p>Each output stream is read on its own virtual thread and every line, with secrets masked, is
 * delivered immediately, so a follower sees a build's log as it happens. Interrupting the calling
 * thread cancels the run: the whole process tree is terminated (see {@link ProcessTree}) and
 * {@link InterruptedException} is thrown once it is gone. Each child runs under {@code setsid} as
 * the leader of a process group of its own, which a {@link ProcessGroupObserver} hears about, so
 * that the group can be ended even after this JVM is gone ({@link ProcessGroups}). The runner never
 * logs anything itself; command lines appear only in messages, through {@link ProcessCommand#describe()}.
 */
public final class ProcessRunner {
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(10);
    public static final int DEFAULT_TAIL_LINES = 40;

    private final Duration gracePeriod;
    private final int tailLines;
    private final ProcessGroupObserver groups;

    public ProcessRunner() {
        this(DEFAULT_GRACE_PERIOD, DEFAULT_TAIL_LINES);
    }

    /** A runner that tells {@code groups} the process group of each child while it runs. */
    public ProcessRunner(ProcessGroupObserver groups) {
        this(DEFAULT_GRACE_PERIOD, DEFAULT_TAIL_LINES, groups);
    }

    public ProcessRunner(Duration gracePeriod, int tailLines) {
        this(gracePeriod, tailLines, ProcessGroupObserver.NONE);
    }

    /**
     * @param gracePeriod how long a cancelled process may take to exit after SIGTERM before SIGKILL
     * @param tailLines   how many of the last output lines {@link ProcessResult#tail()} keeps
     */
    public ProcessRunner(Duration gracePeriod, int tailLines, ProcessGroupObserver groups) {
        if (gracePeriod.isNegative() || tailLines < 0) {
            throw new IllegalArgumentException("grace period and tail lines must not be negative");
        }
        this.gracePeriod = gracePeriod;
        this.tailLines = tailLines;
        this.groups = java.util.Objects.requireNonNull(groups, "groups");
    }

    /** Runs the command, sending standard output and standard error lines to the same consumer. */
    public ProcessResult run(ProcessCommand command, Consumer<String> lines) throws IOException, InterruptedException {
        return run(command, lines, lines);
    }

    /**
     * Runs the command to completion.
     *
     * @throws IOException          the program could not be started (typically: not installed); the
     *                              message names the program, never its arguments
     * @throws InterruptedException the calling thread was interrupted; the process tree has been ended
     */
    public ProcessResult run(ProcessCommand command, Consumer<String> stdout, Consumer<String> stderr)
            throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("cancelled before " + command.program() + " started");
        }
        Process process = start(command);
        // setsid made the child the leader of its own group: the group id is its pid (see ProcessGroups).
        boolean ownGroup = ProcessGroups.isAvailable();
        if (ownGroup) {
            groups.started(process.pid());
        }
        try {
            return await(command, process, stdout, stderr);
        } finally {
            if (ownGroup) {
                groups.ended(process.pid());
            }
        }
    }

    private ProcessResult await(ProcessCommand command, Process process, Consumer<String> stdout, Consumer<String> stderr)
            throws InterruptedException {
        OutputPump pump = new OutputPump(command.masker(), tailLines);
        Thread out = pump.start(command.program() + "-stdout-" + process.pid(), process.getInputStream(), stdout);
        Thread err = pump.start(command.program() + "-stderr-" + process.pid(), process.getErrorStream(), stderr);
        try {
            int exitCode = process.waitFor();
            // Output still in the pipes belongs to this run: wait for the readers to deliver all of it.
            out.join();
            err.join();
            if (pump.consumerFailure() != null) {
                throw pump.consumerFailure();
            }
            return new ProcessResult(exitCode, pump.tail());
        } catch (InterruptedException cancelled) {
            ProcessTree.terminate(process.toHandle(), gracePeriod);
            out.join(gracePeriod);
            err.join(gracePeriod);
            throw cancelled;
        }
    }

    /**
     * The executable file a command naming {@code program} would run: the program itself when it
     * names a path, else the first match on the PATH children get.
     */
    public Optional<Path> locate(String program) {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().putAll(groups.environment());
        return ProcessGroups.locate(program, Optional.empty(), builder.environment());
    }

    private Process start(ProcessCommand command) throws IOException {
        // In a process group of its own: the terminal's Ctrl-C reaches Strata only (which stops the
        // child itself), and the group can be ended by another process if this JVM dies.
        ProcessBuilder builder = new ProcessBuilder(ProcessGroups.inNewGroup(command.arguments()));
        builder.environment().putAll(command.environment());
        builder.environment().putAll(groups.environment());
        command.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (!ProcessGroups.canExecute(command.program(), command.workingDirectory(), builder.environment())) {
            // Under setsid a missing program would be setsid's exit 127; say it the way the JDK would.
            throw new IOException("cannot run " + command.program() + ": No such file or directory");
        }
        try {
            return builder.start();
        } catch (IOException e) {
            // The JDK's message repeats the full command line, which may hold secrets: name only the program.
            throw new IOException("cannot run " + command.program() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(IOException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return message.replaceFirst("^error=\\d+, ", "");
    }
}
