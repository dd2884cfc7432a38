package io.strata.worker.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs {@code ip} and {@code iptables} (root's tools) and returns what they printed. Not through
 * the build's process runner: these are not the build's processes, and removal must run even while
 * the build's thread is being cancelled, so the interrupt is held back and set again afterwards.
 */
final class HostCommands {
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private HostCommands() {}

    static Result run(List<String> command) throws IOException {
        return run(command, null);
    }

    /**
     * Runs {@code command} with {@code input} on its standard input (null: nothing): a batch of
     * commands ({@code ip -batch -}, {@code iptables-restore}) is one process instead of one each.
     */
    static Result run(List<String> command, String input) throws IOException {
        return start(command, input).finish();
    }

    /**
     * Starts {@code command} with {@code input} written to it and returns without waiting, so that this
     * thread can run other commands meanwhile ({@link Started#finish} waits). Its output goes to a pipe
     * read only at the end: these tools print a line or two, well within the pipe's buffer.
     */
    static Started start(List<String> command, String input) throws IOException {
        // Removal runs while the build's thread is being cancelled: the interrupt is held back here too.
        boolean interrupted = Thread.interrupted();
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (input == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = builder.start();
            if (input != null) {
                // Small batches (a few hundred bytes): written whole, within the pipe's buffer.
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    process.destroyForcibly();
                    throw e;
                }
            }
            return new Started(command, input, process);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A command started by {@link #start}, not yet waited for. */
    record Started(List<String> command, String input, Process process) {
        /** Waits for it and returns what it printed; an interrupt is held back and set again afterwards. */
        Result finish() throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                while (true) {
                    try {
                        return new Result(process.waitFor(), output.strip());
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits for it; IOException with the input and output when it failed. */
        String require() throws IOException {
            return HostCommands.required(command, input, finish());
        }
    }

    /** Runs {@code command}; IOException with its output when it fails. */
    static String require(List<String> command) throws IOException {
        return require(command, null);
    }

    /** Runs {@code command} with {@code input} on its standard input; IOException with the input and output when it fails. */
    static String require(List<String> command, String input) throws IOException {
        return required(command, input, run(command, input));
    }

    private static String required(List<String> command, String input, Result result) throws IOException {
        if (!result.succeeded()) {
            throw new IOException("`" + String.join(" ", command) + "` failed (exit " + result.exitCode() + "): "
                    + result.output() + (input == null ? "" : "; its input was:\n" + input));
        }
        return result.output();
    }
}
