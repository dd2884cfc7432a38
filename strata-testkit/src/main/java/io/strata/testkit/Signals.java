package io.strata.testkit;

import java.io.IOException;

/** Sends a process a signal by name, as {@code kill -NAME PID} does: for tests that stop, resume or kill what they started. */
public final class Signals {
    private Signals() {
    }

    /**
     * Sends {@code name} ({@code KILL}, {@code STOP}, {@code CONT}, {@code INT}) to {@code pid} and waits until
     * {@code kill} has; fails the test when it could not (the process is gone, for instance).
     */
    public static void send(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + pid + " failed");
        }
    }
}
