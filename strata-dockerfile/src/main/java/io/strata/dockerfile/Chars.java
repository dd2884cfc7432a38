package io.strata.dockerfile;

/** Character classes as Go's unicode package sees them (BuildKit's parser is written in Go). */
final class Chars {
    private Chars() {}

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000B', '\f', '\r', '\u0085', '\u00A0' -> true;
            default -> c > '\u00FF' && Character.isSpaceChar(c);
        };
    }

    /** The separator of BuildKit's {@code reWhitespace}: {@code [\t\v\f\r ]}. */
    static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r';
    }

    static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return a == 0 && b == s.length() ? s : s.substring(a, b);
    }
}
