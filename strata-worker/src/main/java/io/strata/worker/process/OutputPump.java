package io.strata.worker.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Reads a process's output streams line by line and hands each masked line to its consumer as soon
 * as it arrives. Deliveries from both streams are serialised, so consumers need not be
 * thread-safe, and the last lines of both are kept for error messages.
 *
 * <p>A consumer that throws stops receiving lines, but the stream is still drained so the process
 * never blocks on a full pipe; the first such failure is reported by {@link #consumerFailure()}.
 */
final class OutputPump {
    private final SecretMasker masker;
    private final int tailLines;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private RuntimeException consumerFailure;

    OutputPump(SecretMasker masker, int tailLines) {
        this.masker = masker;
        this.tailLines = tailLines;
    }

    Thread start(String name, InputStream stream, Consumer<String> consumer) {
        return Thread.ofVirtual().name(name).start(() -> pump(stream, consumer));
    }

    private void pump(InputStream stream, Consumer<String> consumer) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                deliver(masker.mask(line), consumer);
            }
        } catch (IOException streamClosed) {
            // the process was destroyed while we were reading; nothing more will come
        }
    }

    private void deliver(String line, Consumer<String> consumer) {
        lock.lock();
        try {
            if (tailLines > 0) {
                if (tail.size() == tailLines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
            if (consumerFailure == null) {
                consumer.accept(line);
            }
        } catch (RuntimeException e) {
            consumerFailure = e;
        } finally {
            lock.unlock();
        }
    }

    List<String> tail() {
        lock.lock();
        try {
            return List.copyOf(tail);
        } finally {
            lock.unlock();
        }
    }

    RuntimeException consumerFailure() {
        lock.lock();
        try {
            return consumerFailure;
        } finally {
            lock.unlock();
        }
    }
}
