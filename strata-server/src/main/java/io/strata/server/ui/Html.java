package io.strata.server.ui;

/**
 * The one place text becomes HTML: every value that came from a build (a log line, a label, a
 * failure message, a user name) goes through {@link #text} or {@link #attr}, so markup in it is
 * shown as characters and never parsed. Pages are plain strings built from these pieces.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    /** {@code value} escaped for element content and quoted attribute values alike. */
    static String esc(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Markup written by this package itself (never a value from a build). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html text(String value) {
        out.append(esc(value));
        return this;
    }

    /** {@code <tag class="cls">text</tag>}, the text escaped. */
    Html el(String tag, String cls, String value) {
        out.append('<').append(tag);
        if (cls != null && !cls.isEmpty()) {
            out.append(" class=\"").append(esc(cls)).append('"');
        }
        return raw(">").text(value).raw("</" + tag + ">");
    }

    /** {@code name="value"} with a leading space, the value escaped. */
    static String attr(String name, String value) {
        return " " + name + "=\"" + esc(value) + "\"";
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
