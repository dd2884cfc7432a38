package io.strata.dockerfile;

/** An empty (or whitespace-only) line outside any instruction. */
public record BlankLine(int startLine, String text) implements Node {
    @Override
    public int endLine() {
        return startLine;
    }
}
