package io.strata.dockerfile;

/** A comment line outside any instruction; {@code comment} is the text after {@code #}, trimmed. */
public record Comment(int startLine, String text, String comment) implements Node {
    @Override
    public int endLine() {
        return startLine;
    }
}
