package io.strata.local.store;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the writing transactions a store committed in this process and wakes whoever waits for the
 * next one: a follower of a build (`strata build --server` waiting for its end, a log stream) reads
 * the store again as soon as something was written instead of at its next poll. Writes by other
 * processes sharing the store are not seen here; followers still poll for them.
 */
final class WriteSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private long writes;

    void written() {
        lock.lock();
        try {
            writes++;
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes committed so far. */
    long writes() {
        lock.lock();
        try {
            return writes;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a write after the {@code seen}th is committed, or {@code longest} has passed. */
    void awaitAfter(long seen, Duration longest) throws InterruptedException {
        long left = longest.toNanos();
        lock.lock();
        try {
            while (writes == seen && left > 0) {
                left = written.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
