package io.strata.cli.worker;

import java.io.File;
import java.io.IOException;
import java.util.List;

/** Runs the tools that make the parts of Strata's own image (jlink, tar, skopeo) to their end. */
final class Processes {
    private Processes() {}

    /** Runs {@code command}; throws with its output when it fails. */
    static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command.getFirst(), e);
        }
    }
}
