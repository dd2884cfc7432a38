package io.strata.dockerfile;

import java.util.List;

/**
 * One instruction with everything that belongs to it: continuation lines, comment lines inside it and
 * its here-documents.
 *
 * @param keyword   upper-cased, e.g. {@code RUN}
 * @param startLine 1-based first line
 * @param endLine   1-based last line (inclusive; the last heredoc terminator when there are heredocs)
 * @param text      original text, line terminators included
 * @param value     the instruction after its keyword, continuations joined and trimmed (as
 *                  dockerfile-parse's {@code value}; flags included)
 */
public record Instruction(String keyword, int startLine, int endLine, String text, String value,
        List<Flag> flags, Arguments arguments, List<Heredoc> heredocs) implements Node {

    public Instruction {
        flags = List.copyOf(flags);
        heredocs = List.copyOf(heredocs);
    }

    /** The value of flag {@code name} ({@code --name=value}), or null when absent or bare. */
    public String flag(String name) {
        for (Flag f : flags) {
            if (f.name().equals(name)) {
                return f.value();
            }
        }
        return null;
    }
}
