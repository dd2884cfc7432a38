package io.strata.dockerfile;

import io.strata.dockerfile.Arguments.KeyValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the key=value pairs of one ENV or LABEL instruction sit in the source, so one value can be
 * replaced or one pair removed without touching the rest.
 */
final class PairLayout {
    private final LogicalLine logical;
    private final List<Word> words;
    private final boolean legacy;
    private final int legacyValueStart;
    private final int legacyValueEnd;

    private PairLayout(LogicalLine logical, List<Word> words, boolean legacy, int legacyValueStart,
            int legacyValueEnd) {
        this.logical = logical;
        this.words = words;
        this.legacy = legacy;
        this.legacyValueStart = legacyValueStart;
        this.legacyValueEnd = legacyValueEnd;
    }

    static PairLayout of(Dockerfile dockerfile, Instruction instruction) {
        LogicalLine logical = LogicalLine.of(dockerfile, instruction);
        String text = logical.text();
        int argsStart = InstructionParser.layout(text).argsStart();
        if (((KeyValues) instruction.arguments()).legacyForm()) {
            List<Word> parts = WordSplitter.whitespace(text, argsStart);
            int end = text.length();
            while (end > 0 && Chars.isSpace(text.charAt(end - 1))) {
                end--;
            }
            return new PairLayout(logical, parts, true, parts.get(1).start(), end);
        }
        List<Word> words = WordSplitter.quoteAware(text, argsStart, dockerfile.escapeCharacter());
        return new PairLayout(logical, words, false, 0, 0);
    }

    String rawValue(int p) {
        return logical.text().substring(valueStart(p), valueEnd(p));
    }

    private int valueStart(int p) {
        return legacy ? legacyValueStart : words.get(p).start() + words.get(p).text().indexOf('=') + 1;
    }

    private int valueEnd(int p) {
        return legacy ? legacyValueEnd : words.get(p).end();
    }

    int valueFrom(int p) {
        int start = valueStart(p);
        int[] at = logical.offsets();
        return start < valueEnd(p) ? at[start] : at[start - 1] + 1;
    }

    int valueTo(int p) {
        int start = valueStart(p);
        int end = valueEnd(p);
        int[] at = logical.offsets();
        return start < end ? at[end - 1] + 1 : at[start - 1] + 1;
    }

    /** Splices removing each run of removed pairs, with the blank space in front of it. */
    List<Splice> removals(boolean[] removed) {
        int[] at = logical.offsets();
        List<Splice> out = new ArrayList<>();
        int p = 0;
        while (p < removed.length) {
            if (!removed[p]) {
                p++;
                continue;
            }
            int q = p;
            while (q + 1 < removed.length && removed[q + 1]) {
                q++;
            }
            if (p > 0) {
                out.add(new Splice(at[words.get(p - 1).end() - 1] + 1, at[words.get(q).end() - 1] + 1, ""));
            } else {
                out.add(new Splice(at[words.get(0).start()], at[words.get(q + 1).start()], ""));
            }
            p = q + 1;
        }
        return out;
    }
}
