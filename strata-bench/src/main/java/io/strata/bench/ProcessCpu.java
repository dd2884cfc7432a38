package io.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time (user + system) of this JVM and of every child process it has waited for (buildah,
 * unshare, ...), from {@code /proc/self/stat}. On a shared, loaded machine the wall time of a build
 * is mostly how long it waited for a core; the CPU time is the work it did, which is what two
 * ways of building can be compared on. The registry, a child that runs throughout, is not counted.
 */
final class ProcessCpu {
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessCpu() {}

    /** This process's CPU time plus its waited-for children's, so far. */
    static Duration now() {
        return ticks(14, 17);
    }

    /** This process's own CPU time (all its threads: the build's Java code, JIT, GC), so far. */
    static Duration jvm() {
        return ticks(14, 15);
    }

    /** Another process's own CPU time so far (the registry's, say): zero once it has ended. */
    static Duration of(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        return Files.exists(stat) ? ticks(stat, 14, 15) : Duration.ZERO;
    }

    /** Another process's CPU time so far with that of the children it has waited for (a service's builds). */
    static Duration withChildren(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        return Files.exists(stat) ? ticks(stat, 14, 17) : Duration.ZERO;
    }

    private static Duration ticks(int first, int last) {
        return ticks(Path.of("/proc/self/stat"), first, last);
    }

    /** The sum of {@code stat}'s fields {@code first..last} (1-based, as proc(5) numbers them). */
    private static Duration ticks(Path file, int first, int last) {
        try {
            String stat = Files.readString(file);
            // Fields after the command name (which may hold spaces) start with field 3, the state.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int field = first; field <= last; field++) {
                ticks += Long.parseLong(fields[field - 3]);
            }
            return Duration.ofNanos(ticks * 1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
