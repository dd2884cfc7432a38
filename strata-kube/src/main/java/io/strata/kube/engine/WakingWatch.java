package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A watch on one object that only wakes its follower, which then reads the object itself: the
 * follower's read is the relist, so nothing is lost whatever the watch misses. A watch that drops
 * is opened again (fabric8 resumes a dropped connection by itself; what reaches {@code onClose} is
 * what it gave up on); after {@code 410 Gone} the follower is woken to read afresh before the new
 * watch starts. A watch that cannot be opened at all leaves the follower polling.
 */
final class WakingWatch<T> implements AutoCloseable {
    private static final long RETRY_MILLIS = 1000;

    private final Function<Watcher<T>, Watch> open;
    private final Runnable wake;
    private final AtomicInteger reopened = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private volatile Watch watch;
    private volatile boolean closed;

    WakingWatch(Function<Watcher<T>, Watch> open, Runnable wake) {
        this.open = open;
        this.wake = wake;
        start();
    }

    private void start() {
        if (closed) {
            return;
        }
        try {
            watch = open.apply(new Watcher<>() {
                @Override
                public void eventReceived(Action action, T resource) {
                    wake.run();
                }

                @Override
                public void onClose(WatcherException cause) {
                    if (cause.isHttpGone()) {
                        gone.incrementAndGet();
                    }
                    reopened.incrementAndGet();
                    wake.run();
                    Thread.ofVirtual().start(WakingWatch.this::start);
                }
            });
        } catch (KubernetesClientException e) {
            // 410 or a drop while opening: the follower polls; the next start is tried by the next close or never.
            if (e.getCode() == 410) {
                gone.incrementAndGet();
            }
            reopened.incrementAndGet();
            wake.run();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                start();
            });
        }
    }

    /** How many times the watch was opened again after closing (drops and 410s). */
    int reopened() {
        return reopened.get();
    }

    int gone() {
        return gone.get();
    }

    @Override
    public void close() {
        closed = true;
        Watch current = watch;
        if (current != null) {
            current.close();
        }
    }
}
