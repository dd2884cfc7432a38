package io.strata.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the exec form the way BuildKit does: the arguments are JSON if they start with {@code [} and the
 * first JSON value decodes; anything after that value is ignored. Text that is not valid JSON is shell
 * form; valid JSON whose elements are not all strings is an error.
 */
final class JsonArray {
    /** Thrown for a well-formed JSON array holding something other than strings. */
    static final class NotStrings extends Exception {
        private static final long serialVersionUID = 1L;

        NotStrings() {
            super(null, null, false, false);
        }
    }

    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super(null, null, false, false);
        }
    }

    /**
     * Deeper nesting is read as "not JSON" (shell form) instead of overflowing the stack. Go's decoder
     * stops at 10,000; an array that deep holds arrays, which BuildKit rejects anyway.
     */
    private static final int MAX_DEPTH = 500;

    private final String s;
    private int pos;
    private int depth;

    private JsonArray(String s, int pos) {
        this.s = s;
        this.pos = pos;
    }

    /** The strings of the array, or null when {@code text} is not JSON (shell form). */
    static List<String> parse(String text) throws NotStrings {
        int start = 0;
        while (start < text.length() && Chars.isSpace(text.charAt(start))) {
            start++;
        }
        if (start >= text.length() || text.charAt(start) != '[') {
            return null;
        }
        JsonArray reader = new JsonArray(text, start);
        List<String> strings = new ArrayList<>();
        boolean allStrings;
        try {
            allStrings = reader.array(strings);
            // Go's decoder refuses anything but white space after the value: then it is shell form.
            reader.skipSpace();
            if (reader.pos < text.length()) {
                return null;
            }
        } catch (Malformed e) {
            return null;
        }
        if (!allStrings) {
            throw new NotStrings();
        }
        return strings;
    }

    /** Reads an array; collects its string elements when {@code out} is set. Returns whether all were strings. */
    private boolean array(List<String> out) throws Malformed {
        pos++;
        boolean allStrings = true;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return true;
        }
        while (true) {
            skipSpace();
            if (peek() == '"') {
                String str = string();
                if (out != null) {
                    out.add(str);
                }
            } else {
                value();
                allStrings = false;
            }
            skipSpace();
            int c = next();
            if (c == ']') {
                return allStrings;
            }
            if (c != ',') {
                throw Malformed.INSTANCE;
            }
        }
    }

    private void value() throws Malformed {
        skipSpace();
        int c = peek();
        switch (c) {
            case '"' -> string();
            case '[' -> {
                enter();
                array(null);
                depth--;
            }
            case '{' -> {
                enter();
                object();
                depth--;
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void enter() throws Malformed {
        if (++depth > MAX_DEPTH) {
            throw Malformed.INSTANCE;
        }
    }

    private void object() throws Malformed {
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw Malformed.INSTANCE;
            }
            string();
            skipSpace();
            if (next() != ':') {
                throw Malformed.INSTANCE;
            }
            value();
            skipSpace();
            int c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw Malformed.INSTANCE;
            }
        }
    }

    private void literal(String word) throws Malformed {
        if (!s.startsWith(word, pos)) {
            throw Malformed.INSTANCE;
        }
        pos += word.length();
    }

    private void number() throws Malformed {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw Malformed.INSTANCE;
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw Malformed.INSTANCE;
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw Malformed.INSTANCE;
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos == start) {
            throw Malformed.INSTANCE;
        }
    }

    private String string() throws Malformed {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = next();
            if (c < 0 || c < 0x20) {
                throw Malformed.INSTANCE;
            }
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append((char) c);
                continue;
            }
            int e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append((char) e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw Malformed.INSTANCE;
                    }
                    try {
                        out.append((char) Integer.parseInt(s, pos, pos + 4, 16));
                    } catch (NumberFormatException ex) {
                        throw Malformed.INSTANCE;
                    }
                    pos += 4;
                }
                default -> throw Malformed.INSTANCE;
            }
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private int peek() {
        return pos < s.length() ? s.charAt(pos) : -1;
    }

    private int next() {
        return pos < s.length() ? s.charAt(pos++) : -1;
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}
