package io.strata.local.worker;

import io.strata.core.store.LeaseOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * This JVM as the owner of build leases, and the liveness test for other owners on this host.
 *
 * <p>An owner's start is recorded as the time since boot at which it started ({@code /proc/PID/stat}, in
 * clock ticks), written as an instant that many seconds after 1970: a clock that is stepped (NTP, a virtual
 * machine's clock set again after a pause) does not move it. The JDK dates a process's start from the boot
 * time it read when it (the reading JVM) started, so two JVMs on either side of a step disagree by the step,
 * and a long-running JVM would judge a live owner gone and end its build. (LeasedBuildsIT, WatchBuildIT and
 * BuildNetworkIT once failed together in one run, two of their builds ended as orphaned by the long-running
 * test JVM, and each passed alone: the likeliest cause, not proven.) Leases written before this hold
 * a wall-clock instant (after 2000), compared as before.
 */
final class ThisProcess {
    /** One owner per JVM: a lease names the process, not the thread or the service object. */
    static final LeaseOwner OWNER = new LeaseOwner(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid(),
            sinceBoot(ProcessHandle.current().pid()).or(() -> ProcessHandle.current().info().startInstant().map(ThisProcess::toSeconds)));

    /** Linux's USER_HZ, the unit of {@code /proc/PID/stat}'s times: 100 on every architecture the kernel exports to userland. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    /** Recorded starts before this are times since boot, not wall-clock instants. */
    private static final Instant WALL_CLOCK_AFTER = Instant.parse("2000-01-01T00:00:00Z");

    private ThisProcess() {}

    /** When process {@code pid} started, as time since boot written as an instant after 1970; empty without {@code /proc}. */
    static Optional<Instant> sinceBoot(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the command name, which is in parentheses and may hold spaces: state is field 3, starttime field 22.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[19]);
            return Optional.of(Instant.ofEpochMilli(ticks * 1000 / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code owner} ran on this host: only then do its pid and process groups mean anything here. */
    static boolean isSameHost(LeaseOwner owner) {
        return owner.host().equals(OWNER.host());
    }

    /**
     * Whether the owner (on this host) still runs: its pid is alive and started when the owner did,
     * so a pid reused by a later process does not keep a dead owner's builds alive.
     */
    static boolean isAlive(LeaseOwner owner) {
        Optional<ProcessHandle> process = ProcessHandle.of(owner.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        if (owner.startedAt().isEmpty()) {
            return true;
        }
        Instant recorded = owner.startedAt().get();
        Optional<Instant> started = recorded.isBefore(WALL_CLOCK_AFTER) ? sinceBoot(owner.pid())
                : process.get().info().startInstant().map(ThisProcess::toSeconds);
        if (started.isEmpty()) {
            return true;
        }
        return Math.abs(started.get().getEpochSecond() - toSeconds(recorded).getEpochSecond()) <= 1;
    }

    /** Start times come from /proc in clock ticks; seconds are what stays equal between readings. */
    private static Instant toSeconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
