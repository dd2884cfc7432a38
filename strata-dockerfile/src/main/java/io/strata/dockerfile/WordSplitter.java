package io.strata.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The word splitters of BuildKit's line parser: quote-aware splitting that keeps quotes and escapes in
 * the words (ENV, LABEL, ARG), plain whitespace splitting (FROM, EXPOSE, COPY), and builder-flag
 * extraction ({@code --name=value} words before the arguments).
 */
final class WordSplitter {
    private WordSplitter() {}

    /**
     * Quote-aware split; words keep their quotes and escapes (BuildKit's {@code parseWords}). Positions are
     * relative to {@code s}. A word is its source text, except that an escape character ending the input
     * is dropped.
     */
    static List<Word> quoteAware(String s, int from, char escape) {
        List<Word> words = new ArrayList<>();
        int n = s.length();
        int pos = from;
        while (true) {
            while (pos < n && Chars.isSpace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= n) {
                return words;
            }
            int start = pos;
            char quote = 0;
            boolean quoted = false;
            while (pos < n) {
                char c = s.charAt(pos);
                if (quote == 0 && Chars.isSpace(c)) {
                    break;
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                    quoted = true;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else if (c == escape && quote != '\'' && pos + 2 <= n) {
                    pos++;
                }
                pos++;
            }
            boolean droppedEscape = pos == n && s.charAt(n - 1) == escape && endsWithLoneEscape(s, start, escape);
            String text = droppedEscape ? s.substring(start, n - 1) : s.substring(start, pos);
            if (quoted || !text.isEmpty()) {
                words.add(new Word(text, start, pos));
            }
        }
    }

    /** Whether the last character of {@code s} is an escape that escapes nothing (counting from {@code start}). */
    private static boolean endsWithLoneEscape(String s, int start, char escape) {
        int n = s.length();
        char quote = 0;
        int pos = start;
        while (pos < n) {
            char c = s.charAt(pos);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (c == escape && quote != '\'') {
                if (pos + 1 == n) {
                    return true;
                }
                pos++;
            }
            pos++;
        }
        return false;
    }

    /** Splits at runs of {@code [\t\v\f\r ]} (BuildKit's {@code reWhitespace}); positions relative to {@code s}. */
    static List<Word> whitespace(String s, int from) {
        List<Word> words = new ArrayList<>();
        int n = s.length();
        int pos = from;
        while (pos < n) {
            while (pos < n && Chars.isBlank(s.charAt(pos))) {
                pos++;
            }
            int start = pos;
            while (pos < n && !Chars.isBlank(s.charAt(pos))) {
                pos++;
            }
            if (pos > start) {
                words.add(new Word(s.substring(start, pos), start, pos));
            }
        }
        return words;
    }

    /** The flags in front of the arguments and where the arguments start. */
    record Flags(List<Flag> flags, int argsStart) {}

    /**
     * Reads {@code --name[=value]} words from {@code from}; stops at the first word that does not start
     * with {@code --} or at a lone {@code --}. Quotes are removed from flags; backslash escapes always.
     */
    static Flags builderFlags(String s, int from) {
        List<Flag> flags = new ArrayList<>();
        int n = s.length();
        int pos = from;
        while (true) {
            while (pos < n && Chars.isSpace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= n) {
                return new Flags(flags, n);
            }
            if (s.charAt(pos) != '-' || pos + 1 >= n || s.charAt(pos + 1) != '-') {
                return new Flags(flags, pos);
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            boolean blankOk = false;
            while (pos < n) {
                char c = s.charAt(pos);
                if (quote == 0) {
                    if (Chars.isSpace(c)) {
                        break;
                    }
                    if (c == '\'' || c == '"') {
                        quote = c;
                        blankOk = true;
                        pos++;
                        continue;
                    }
                } else if (c == quote) {
                    quote = 0;
                    pos++;
                    continue;
                }
                if (c == '\\') {
                    if (pos + 1 == n) {
                        pos++;
                        quote = 0;
                        continue;
                    }
                    c = s.charAt(++pos);
                }
                word.append(c);
                pos++;
            }
            String w = word.toString();
            if (w.equals("--")) {
                return new Flags(flags, pos);
            }
            if (blankOk || !w.isEmpty()) {
                flags.add(toFlag(w));
            }
        }
    }

    private static Flag toFlag(String word) {
        String body = word.startsWith("--") ? word.substring(2) : word;
        int eq = body.indexOf('=');
        return eq < 0 ? new Flag(body, null) : new Flag(body.substring(0, eq), body.substring(eq + 1));
    }
}
