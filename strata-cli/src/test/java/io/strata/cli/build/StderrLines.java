package io.strata.cli.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A started command's stderr, read line by line on a thread of its own, with a wait for the first line that holds a text. */
final class StderrLines {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> seen = new CompletableFuture<>();

    private StderrLines() {}

    /** Reads {@code process}'s stderr until it ends; {@link #seen} completes at the first line holding {@code text}. */
    static StderrLines follow(Process process, String text) {
        StderrLines stderr = new StderrLines();
        Thread.ofVirtual().start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    stderr.lines.add(line);
                    if (line.contains(text)) {
                        stderr.seen.complete(null);
                    }
                }
                stderr.seen.completeExceptionally(new AssertionError("no line held " + text + ":\n" + stderr));
            } catch (IOException e) {
                stderr.seen.completeExceptionally(e);
            }
        });
        return stderr;
    }

    CompletableFuture<Void> seen() {
        return seen;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
