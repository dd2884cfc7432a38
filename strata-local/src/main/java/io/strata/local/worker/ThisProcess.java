package io.strata.local.worker;

import io.strata.core.store.LeaseOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** This JVM as the owner of build leases, and the liveness test for other owners on this host. */
final class ThisProcess {
    /** One owner per JVM: a lease names the process, not the thread or the service object. */
    static final LeaseOwner OWNER = new LeaseOwner(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid(),
            ProcessHandle.current().info().startInstant().map(ThisProcess::toSeconds));

    private ThisProcess() {}

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
        Optional<Instant> started = process.get().info().startInstant().map(ThisProcess::toSeconds);
        if (owner.startedAt().isEmpty() || started.isEmpty()) {
            return true;
        }
        return Math.abs(started.get().getEpochSecond() - toSeconds(owner.startedAt().get()).getEpochSecond()) <= 1;
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
