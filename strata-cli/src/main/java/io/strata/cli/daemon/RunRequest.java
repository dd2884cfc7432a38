package io.strata.cli.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command line the launcher's shell client handed a daemon (scripts/lib/build-daemon.sh,
 * {@code strata_daemon_run}): the line {@code run BASE} on the daemon's request FIFO names files beside it,
 * {@code BASE.args} (the arguments, each ended by a NUL byte) and the FIFOs {@code BASE.out}, {@code BASE.err}
 * and {@code BASE.status}, which the client opened before it asked. {@code BASE} is {@code run-PID-N} in the
 * daemon's own directory, PID the client's.
 */
record RunRequest(Path base, long clientPid) {
    private static final Pattern NAME = Pattern.compile("run-(\\d{1,10})-\\d{1,12}");

    /**
     * The request a line names, when it names one in {@code directory} (the daemon's, private to its user:
     * only that user's clients write to the FIFO in it); empty for anything else.
     */
    static Optional<RunRequest> parse(String path, Path directory) {
        Path base;
        try {
            base = Path.of(path);
        } catch (java.nio.file.InvalidPathException notAPath) {
            return Optional.empty(); // a line no client of Strata's writes: the request reader goes on
        }
        Matcher name = NAME.matcher(base.getFileName() == null ? "" : base.getFileName().toString());
        if (!base.isAbsolute() || !directory.equals(base.getParent()) || !name.matches()) {
            return Optional.empty();
        }
        return Optional.of(new RunRequest(base, Long.parseLong(name.group(1))));
    }

    Path file(String suffix) {
        return base.resolveSibling(base.getFileName() + "." + suffix);
    }

    /**
     * Takes the request by renaming its arguments' file, and returns the arguments; empty when the client
     * withdrew it first (it got no answer in time and builds in a process of its own). The rename decides
     * between the two: exactly one of them runs the command.
     */
    Optional<List<String>> claim() throws IOException {
        Path taken = file("taken");
        try {
            Files.move(file("args"), taken, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException withdrawn) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(taken);
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return Optional.of(args);
    }

    /**
     * One of the client's FIFOs, opened for writing only: a write fails once nobody reads it any more (the
     * client's relay ended, as in {@code strata build | head -1}) instead of filling the pipe and waiting for ever.
     * It is opened while this process holds it open for reading as well, so the open never waits, not even on a
     * client that died after asking (whose FIFO then has no reader, and the first write fails).
     */
    FileChannel openForWriting(String suffix) throws IOException {
        Path fifo = file(suffix);
        try (FileChannel holder = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return FileChannel.open(fifo, StandardOpenOption.WRITE);
        }
    }

    /** Removes the request's files: both ends hold the FIFOs open by now, and a name is no longer needed. */
    void removeFiles() {
        for (String suffix : List.of("taken", "args", "out", "err", "status")) {
            try {
                Files.deleteIfExists(file(suffix));
            } catch (IOException ignored) {
                // a leftover in the user's private directory; the next daemon's start sweeps it
            }
        }
    }

    /** Whether the client's process is still there. */
    boolean clientAlive() {
        return ProcessHandle.of(clientPid).map(ProcessHandle::isAlive).orElse(false);
    }
}
