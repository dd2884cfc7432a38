package io.strata.local.worker;

/** Waiting for the helper threads of a build. */
final class Threads {
    private Threads() {}

    /**
     * Waits until {@code thread} has ended, even when interrupted meanwhile (a cancelled build must
     * still finish writing), and keeps the interrupt for the caller.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
