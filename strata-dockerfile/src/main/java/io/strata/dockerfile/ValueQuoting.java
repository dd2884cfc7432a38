package io.strata.dockerfile;

/**
 * Writes keys and values for ENV and LABEL so that Docker's word processing reads back exactly the
 * value given: bare when that is safe, otherwise quoted, keeping the quoting style the value had.
 */
final class ValueQuoting {
    private ValueQuoting() {}

    enum Style {
        BARE, SINGLE, DOUBLE;

        static Style of(String raw) {
            if (raw.length() >= 2 && raw.charAt(0) == '\'' && raw.charAt(raw.length() - 1) == '\'') {
                return SINGLE;
            }
            if (raw.length() >= 2 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"') {
                return DOUBLE;
            }
            return BARE;
        }
    }

    static String quote(String value, char escape, Style style) {
        if (style == Style.BARE && isBare(value)) {
            return value;
        }
        if (style == Style.SINGLE && value.indexOf('\'') < 0) {
            return "'" + value + "'";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '$' || c == escape) {
                out.append(escape);
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** Rejects what no Dockerfile line can hold; {@code what} names the thing in the message. */
    static void requireWritable(String what, String text, boolean key) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " cannot contain a line break: " + text.strip());
        }
        if (key && (text.isEmpty() || text.indexOf('=') >= 0)) {
            throw new IllegalArgumentException(what + " must be non-empty and cannot contain '=': " + text);
        }
    }

    private static boolean isBare(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':'
                    || c == '@' || c == ',' || c == '+' || c == '%' || c == '=' || c == '~' || c == '^';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
