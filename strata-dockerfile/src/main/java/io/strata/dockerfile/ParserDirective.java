package io.strata.dockerfile;

/**
 * A parser directive ({@code # escape=`}, {@code # syntax=...}, {@code # check=...}) at the very top of
 * the file, where BuildKit honours them. {@code name} is lower-cased.
 */
public record ParserDirective(int startLine, String text, String name, String value) implements Node {
    @Override
    public int endLine() {
        return startLine;
    }
}
