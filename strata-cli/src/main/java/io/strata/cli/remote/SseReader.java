package io.strata.cli.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a Server-Sent Events stream one event at a time ({@code id}, {@code event}, {@code data}; comments skipped). */
final class SseReader implements AutoCloseable {
    record Event(String name, long id, String data) {}

    private final BufferedReader reader;

    SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event; empty when the stream ended. */
    Optional<Event> next() throws IOException {
        String name = "message";
        long id = 0;
        StringBuilder data = new StringBuilder();
        boolean any = false;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (any) {
                    return Optional.of(new Event(name, id, data.toString()));
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
            any = true;
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = parseId(value);
                case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                default -> { }
            }
        }
        return Optional.empty();
    }

    private static long parseId(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
