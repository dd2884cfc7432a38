package io.strata.dockerfile;

/**
 * Joins the physical lines of one instruction into the logical line BuildKit parses: a trailing escape
 * character (plus blanks) continues the instruction, and comment lines and empty lines inside a
 * continued instruction are dropped. Optionally records, for every character of the logical line,
 * its offset in the source, which is what lets the editor change one value in place.
 *
 * @param text     the logical line, starting at the keyword
 * @param end      offset in the source just past the last physical line (its terminator included)
 * @param lines    number of physical lines consumed
 * @param offsets  source offset of each character of {@code text}, or null when not asked for
 */
record LogicalLine(String text, int end, int lines, int[] offsets) {

    /** Joins from {@code start} (the first non-blank character of the first line) up to {@code limit}. */
    static LogicalLine join(char[] buf, int start, int limit, char escape, boolean withOffsets) {
        StringBuilder out = null;
        String single = null;
        int[] offsets = withOffsets ? new int[16] : null;
        int length = 0;
        int pos = start;
        int lines = 0;
        while (true) {
            int lineEnd = indexOfNewline(buf, pos, limit);
            int contentEnd = lineEnd > pos && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int k = contentEnd;
            while (k > pos && (buf[k - 1] == ' ' || buf[k - 1] == '\t')) {
                k--;
            }
            // BuildKit's rule: the escape character continues the line unless another escape character
            // precedes it ("x\\" ends in an escaped backslash and does not continue).
            boolean continued = k > pos && buf[k - 1] == escape && (k - 1 == pos || buf[k - 2] != escape);
            int pieceEnd = continued ? k - 1 : contentEnd;
            if (single == null && out == null && !continued) {
                single = new String(buf, pos, pieceEnd - pos);
            } else {
                if (out == null) {
                    out = new StringBuilder(Math.max(16, (pieceEnd - pos) * 2));
                }
                out.append(buf, pos, pieceEnd - pos);
            }
            if (withOffsets) {
                offsets = ensure(offsets, length + pieceEnd - pos);
                for (int i = pos; i < pieceEnd; i++) {
                    offsets[length++] = i;
                }
            }
            lines++;
            int next = lineEnd < limit ? lineEnd + 1 : limit;
            if (!continued) {
                return result(single, out, next, lines, offsets, length);
            }
            // Skip comment lines and empty lines inside the continued instruction, as BuildKit does.
            while (true) {
                if (next >= limit) {
                    return result(single, out, next, lines, offsets, length);
                }
                int nextEnd = indexOfNewline(buf, next, limit);
                int t = next;
                while (t < nextEnd && Chars.isSpace(buf[t])) {
                    t++;
                }
                if (t < nextEnd && buf[t] == '#' || t == nextEnd) {
                    lines++;
                    next = nextEnd < limit ? nextEnd + 1 : limit;
                    continue;
                }
                break;
            }
            pos = next;
        }
    }

    /** An instruction's logical line, with the offset in the file of each of its characters. */
    static LogicalLine of(Dockerfile dockerfile, Instruction instruction) {
        char[] buf = instruction.text().toCharArray();
        int start = 0;
        while (start < buf.length && (Chars.isSpace(buf[start]) || buf[start] == '\uFEFF')) {
            start++;
        }
        LogicalLine local = LogicalLine.join(buf, start, buf.length, dockerfile.escapeCharacter(), true);
        int base = dockerfile.startOffset(instruction);
        int[] offsets = local.offsets();
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] += base;
        }
        return local;
    }

    private static LogicalLine result(String single, StringBuilder out, int end, int lines, int[] offsets, int length) {
        String text = out != null ? out.toString() : single;
        int[] exact = offsets == null ? null : java.util.Arrays.copyOf(offsets, length);
        return new LogicalLine(text, end, lines, exact);
    }

    private static int[] ensure(int[] a, int size) {
        return a.length >= size ? a : java.util.Arrays.copyOf(a, Math.max(size, a.length * 2));
    }

    static int indexOfNewline(char[] buf, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return limit;
    }
}
