package io.strata.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits the RFC 7235 challenge syntax: {@code scheme key=value, key="quoted, value", scheme2 ...}.
 * A new challenge starts where a token is not followed by '='.
 */
final class ChallengeTokenizer {
    private final String text;
    private int position;

    ChallengeTokenizer(String text) {
        this.text = text;
    }

    boolean hasMore() {
        skipWhitespace();
        return position < text.length();
    }

    void skipSeparator() {
        position++;
    }

    String token() {
        skipWhitespace();
        int start = position;
        while (position < text.length() && isTokenChar(text.charAt(position))) {
            position++;
        }
        return text.substring(start, position);
    }

    /** The {@code key=value} pairs after a scheme, up to the next scheme or the end. */
    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        while (hasMore()) {
            int mark = position;
            String key = token();
            skipWhitespace();
            if (key.isEmpty() || position >= text.length() || text.charAt(position) != '=') {
                position = mark; // the next challenge's scheme, or a stray separator
                if (key.isEmpty()) {
                    position++;
                    continue;
                }
                return params;
            }
            position++;
            skipWhitespace();
            params.put(key.toLowerCase(Locale.ROOT), value());
            skipWhitespace();
            if (position < text.length() && text.charAt(position) == ',') {
                position++;
            }
        }
        return params;
    }

    private String value() {
        if (position < text.length() && text.charAt(position) == '"') {
            StringBuilder value = new StringBuilder();
            position++;
            while (position < text.length() && text.charAt(position) != '"') {
                char c = text.charAt(position++);
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            position++; // closing quote
            return value.toString();
        }
        return token();
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    /**
     * RFC 7230 token characters, plus '/' and ':' so that an unquoted URL value (which some
     * registries send for realm) is read whole.
     */
    private static boolean isTokenChar(char c) {
        boolean visible = c > ' ' && c < 127;
        boolean separator = "()<>@,;\\\"[]?={}".indexOf(c) >= 0;
        return visible && !separator;
    }
}
