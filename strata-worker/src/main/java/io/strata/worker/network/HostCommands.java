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
        boolean interrupted = Thread.interrupted();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
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

    /** Runs {@code command}; IOException with its output when it fails. */
    static String require(List<String> command) throws IOException {
        Result result = run(command);
        if (!result.succeeded()) {
            throw new IOException("`" + String.join(" ", command) + "` failed (exit " + result.exitCode() + "): "
                    + result.output());
        }
        return result.output();
    }
}
