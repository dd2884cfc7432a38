package io.strata.dockerfile;

/**
 * Shell glob patterns ({@code *}, {@code ?}, escaped characters literal) for the {@code ${V#p}},
 * {@code ${V%p}} and {@code ${V/p/r}} forms of {@link ShellLexer}.
 */
final class Glob {
    private Glob() {}

    static String trim(String value, String pattern, boolean prefix, boolean longest, char escape) {
        int n = value.length();
        if (prefix) {
            for (int i = longest ? n : 0; longest ? i >= 0 : i <= n; i += longest ? -1 : 1) {
                if (matches(pattern, 0, value, 0, i, escape)) {
                    return value.substring(i);
                }
            }
        } else {
            for (int i = longest ? 0 : n; longest ? i <= n : i >= 0; i += longest ? 1 : -1) {
                if (matches(pattern, 0, value, i, n, escape)) {
                    return value.substring(0, i);
                }
            }
        }
        return value;
    }

    static String replace(String value, String pattern, String replacement, boolean all, char escape) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        boolean replaced = false;
        while (i <= value.length()) {
            int end = -1;
            if (!(replaced && !all)) {
                for (int j = value.length(); j > i; j--) {
                    if (matches(pattern, 0, value, i, j, escape)) {
                        end = j;
                        break;
                    }
                }
            }
            if (end > 0) {
                out.append(replacement);
                i = end;
                replaced = true;
            } else {
                if (i < value.length()) {
                    out.append(value.charAt(i));
                }
                i++;
            }
        }
        return out.toString();
    }

    /** Does {@code pattern[p..]} match exactly {@code text[from, to)}? */
    static boolean matches(String pattern, int p, String text, int from, int to, char escape) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int k = to; k >= from; k--) {
                    if (matches(pattern, p + 1, text, k, to, escape)) {
                        return true;
                    }
                }
                return false;
            }
            if (from >= to) {
                return false;
            }
            if (c == '?') {
                p++;
                from++;
                continue;
            }
            if (c == escape && p + 1 < pattern.length()) {
                p++;
                c = pattern.charAt(p);
            }
            if (text.charAt(from) != c) {
                return false;
            }
            p++;
            from++;
        }
        return from == to;
    }
}
