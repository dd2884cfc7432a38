package io.strata.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's processes by command line, read from {@code /proc} itself. {@code ProcessHandle.info()} cannot
 * serve here: it gives a command line only with the executable's path, which it cannot read for a process buildah
 * runs in a chroot of its own (a RUN step), so such a process never matched.
 */
public final class ProcessTable {
    private ProcessTable() {}

    /** The pids of the processes whose command line (arguments joined by spaces) contains {@code marker}. */
    public static List<Long> commandLinesContaining(String marker) {
        return commandLinesContaining(marker, "\0"); // no command line read here holds a NUL: they become spaces
    }

    /** The pids of the processes whose command line (arguments joined by spaces) contains {@code marker} and not {@code unless}. */
    public static List<Long> commandLinesContaining(String marker, String unless) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                String line;
                try {
                    line = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException gone) {
                    continue; // ended while the table was read
                }
                if (line.contains(marker) && !line.contains(unless)) {
                    found.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }
}
