package io.strata.dockerfile;

/** One text edit: replace the characters {@code [from, to)} of the file with {@code text}. */
record Splice(int from, int to, String text) {}
