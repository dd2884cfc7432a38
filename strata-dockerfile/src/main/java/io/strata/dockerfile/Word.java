package io.strata.dockerfile;

/** A word as written (quotes kept) with its position {@code [start, end)} in the string it came from. */
record Word(String text, int start, int end) {}
