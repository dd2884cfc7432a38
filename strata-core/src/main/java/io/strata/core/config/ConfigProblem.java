package io.strata.core.config;

import java.util.Objects;

/**
 * One thing wrong (or suspicious, for a warning) in a configuration document: where it is, what
 * is wrong and what to write instead. Problems are collected, never thrown one at a time, so a
 * user fixes a bad file in one pass.
 *
 * @param file    the document: a path, {@code $STRATA_X} for an environment variable, or
 *                {@code --flag} for a command-line flag
 * @param line    1-based line, 0 when the problem is not tied to a line
 * @param column  1-based column, 0 when unknown
 * @param message what is wrong, naming the key
 * @param fix     what to write instead
 */
public record ConfigProblem(String file, int line, int column, String message, String fix) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    public ConfigProblem(String file, int line, String message, String fix) {
        this(file, line, 0, message, fix);
    }

    /** {@code file:line:column}, leaving out the parts that are unknown. */
    public String where() {
        StringBuilder where = new StringBuilder(file);
        if (line > 0) {
            where.append(':').append(line);
            if (column > 0) {
                where.append(':').append(column);
            }
        }
        return where.toString();
    }

    /** One line: {@code where: message (fix: ...)}. */
    public String describe() {
        return where() + ": " + message + (fix.isEmpty() ? "" : " (fix: " + fix + ")");
    }

    @Override
    public String toString() {
        return describe();
    }
}
