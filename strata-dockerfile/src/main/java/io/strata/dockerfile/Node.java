package io.strata.dockerfile;

/**
 * One piece of a parsed Dockerfile. The nodes of a file, in order, cover it completely: concatenating
 * their {@link #text()} gives back the input byte for byte.
 */
public sealed interface Node permits Instruction, Comment, BlankLine, ParserDirective {
    /** 1-based first line. */
    int startLine();

    /** 1-based last line (inclusive). */
    int endLine();

    /** The original text, including line terminators. */
    String text();
}
