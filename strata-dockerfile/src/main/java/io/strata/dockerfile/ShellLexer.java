package io.strata.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's shell-word processing: quote removal, escapes and variable expansion ({@code $V}, {@code ${V}},
 * {@code ${V:-w}}, {@code ${V-w}}, {@code ${V:+w}}, {@code ${V+w}}, {@code ${V:?msg}}, {@code ${V?msg}},
 * {@code ${V#p}}, {@code ${V##p}}, {@code ${V%p}}, {@code ${V%%p}}, {@code ${V/p/r}}, {@code ${V//p/r}}).
 * Single quotes keep everything literal; inside double quotes only {@code "}, {@code $} and the escape
 * character can be escaped. Instances are immutable and cheap; each call runs its own scan.
 */
public final class ShellLexer {
    /**
     * Nesting of {@code ${V:-${W:-...}}} beyond this is refused rather than overflowing the stack (each
     * level is a nested scan); real Dockerfiles nest two or three deep.
     */
    private static final int MAX_NESTING = 200;

    private final char escape;
    private final boolean expand;
    private final boolean rawQuotes;
    private final boolean skipUnset;

    private ShellLexer(char escape, boolean expand, boolean rawQuotes, boolean skipUnset) {
        this.escape = escape;
        this.expand = expand;
        this.rawQuotes = rawQuotes;
        this.skipUnset = skipUnset;
    }

    /** Expands variables and removes quotes, as the build does. */
    public static ShellLexer expanding(char escape) {
        return new ShellLexer(escape, true, false, false);
    }

    /** Removes quotes and escapes but leaves {@code $} alone (dockerfile-parse's "no env replace"). */
    public static ShellLexer dequoting(char escape) {
        return new ShellLexer(escape, false, false, false);
    }

    /** Expands only variables that are set and keeps others as written; used to check syntax early. */
    static ShellLexer checking(char escape) {
        return new ShellLexer(escape, true, false, true);
    }

    /** Keeps quotes in the output (heredoc delimiter detection). */
    static ShellLexer rawQuoting(char escape) {
        return new ShellLexer(escape, false, true, false);
    }

    /** Processes {@code word} as one word: whitespace is kept. */
    public String processWord(String word, Map<String, String> env, int line) throws DockerfileException {
        Scan scan = new Scan(word, env, line, false);
        scan.run(Scan.EOF, false);
        return scan.result.toString();
    }

    /** Processes {@code text} and splits it into words at unquoted whitespace. */
    public List<String> processWords(String text, Map<String, String> env, int line) throws DockerfileException {
        Scan scan = new Scan(text, env, line, true);
        scan.run(Scan.EOF, false);
        scan.flushWord();
        return scan.words;
    }

    /** One pass over one input; not shared between threads or calls. */
    private final class Scan {
        static final int EOF = -1;

        final String s;
        final Map<String, String> env;
        final int line;
        final boolean splitting;
        int pos;
        final StringBuilder result;
        /** Only used when splitting into words. */
        final List<String> words;
        final StringBuilder word;
        boolean inWord;
        /** How many {@code ${V:-word}} this scan is inside. */
        int depth;

        Scan(String s, Map<String, String> env, int line, boolean splitting) {
            this.s = s;
            this.env = env;
            this.line = line;
            this.splitting = splitting;
            this.result = new StringBuilder(s.length());
            this.words = splitting ? new ArrayList<>() : null;
            this.word = splitting ? new StringBuilder() : null;
        }

        int peek() {
            return pos < s.length() ? s.charAt(pos) : EOF;
        }

        int next() {
            return pos < s.length() ? s.charAt(pos++) : EOF;
        }

        DockerfileException error(String message) {
            return new DockerfileException(line, DockerfileException.BAD_SUBSTITUTION, message,
                    "check the quoting and ${...} syntax on this line");
        }

        void flushWord() {
            if (inWord) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
        }

        /** Literal characters from quotes or escapes: never split. */
        void addRaw(CharSequence text) {
            result.append(text);
            if (splitting && !text.isEmpty()) {
                word.append(text);
                inWord = true;
            }
        }

        void addRaw(char c) {
            result.append(c);
            if (splitting) {
                word.append(c);
                inWord = true;
            }
        }

        /** Unquoted text (plain characters or expansion results): whitespace separates words. */
        void addSplittable(CharSequence text) {
            result.append(text);
            if (splitting) {
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (Character.isWhitespace(c)) {
                        flushWord();
                    } else {
                        word.append(c);
                        inWord = true;
                    }
                }
            }
        }

        /**
         * Scans until {@code stop} (consumed) or the end. With {@code stop} set, the text goes to a fresh
         * buffer that is returned; used for the word of {@code ${V:-word}}.
         */
        String run(int stop, boolean rawEscapes) throws DockerfileException {
            while (peek() != EOF) {
                int ch = peek();
                if (stop != EOF && ch == stop) {
                    next();
                    return result.toString();
                }
                if (ch == '\'') {
                    addRaw(singleQuoted());
                } else if (ch == '"') {
                    addRaw(doubleQuoted());
                } else if (ch == '$' && expand) {
                    addSplittable(dollar());
                } else if (ch == '<' && pos + 1 < s.length() && s.charAt(pos + 1) == '<') {
                    addRaw(possibleHeredoc());
                } else {
                    next();
                    if (ch == escape) {
                        if (rawEscapes) {
                            addRaw((char) ch);
                        }
                        int escaped = next();
                        if (escaped == EOF) {
                            break;
                        }
                        addRaw((char) escaped);
                    } else {
                        addSplittable(String.valueOf((char) ch));
                    }
                }
            }
            if (stop != EOF) {
                throw error("unexpected end of statement while looking for matching " + (char) stop);
            }
            return result.toString();
        }

        /**
         * {@code <<} and the blanks after it, kept in the word: BuildKit lets a heredoc delimiter follow
         * {@code <<} after blanks ({@code RUN <<  EOF} opens {@code EOF}).
         */
        String possibleHeredoc() {
            int start = pos;
            pos += 2;
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String singleQuoted() throws DockerfileException {
            StringBuilder out = new StringBuilder();
            next();
            if (rawQuotes) {
                out.append('\'');
            }
            while (true) {
                int ch = next();
                if (ch == EOF) {
                    throw error("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    break;
                }
                out.append((char) ch);
            }
            if (rawQuotes) {
                out.append('\'');
            }
            return out.toString();
        }

        String doubleQuoted() throws DockerfileException {
            StringBuilder out = new StringBuilder();
            next();
            if (rawQuotes) {
                out.append('"');
            }
            while (true) {
                int ch = peek();
                if (ch == EOF) {
                    throw error("unexpected end of statement while looking for matching double-quote");
                }
                if (ch == '"') {
                    next();
                    break;
                }
                if (ch == '$' && expand) {
                    out.append(dollar());
                    continue;
                }
                next();
                if (ch == escape) {
                    int following = peek();
                    if (following == EOF) {
                        continue;
                    }
                    if (following == '"' || following == '$' || following == escape) {
                        ch = next();
                    }
                }
                out.append((char) ch);
            }
            if (rawQuotes) {
                out.append('"');
            }
            return out.toString();
        }

        String dollar() throws DockerfileException {
            next();
            if (peek() != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                String value = env.get(name);
                if (value == null) {
                    return skipUnset ? "$" + name : "";
                }
                return value;
            }
            next();
            int first = peek();
            if (first == EOF) {
                throw error("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw error("syntax error: bad substitution");
            }
            String name = name();
            int ch = next();
            if (ch == '}') {
                String value = env.get(name);
                if (value == null) {
                    return skipUnset ? "${" + name + "}" : "";
                }
                return value;
            }
            if (ch == EOF) {
                throw error("syntax error: missing '}'");
            }
            String modifier = String.valueOf((char) ch);
            boolean nullIsUnset = false;
            if (ch == ':') {
                nullIsUnset = true;
                ch = next();
                if (ch == EOF) {
                    throw error("syntax error: missing '}'");
                }
                modifier += (char) ch;
            }
            switch (ch) {
                case '-', '+', '?' -> {
                    String word = nested('}', false);
                    String value = env.get(name);
                    if (value == null && skipUnset) {
                        return "${" + name + modifier + word + "}";
                    }
                    boolean missing = value == null || (nullIsUnset && value.isEmpty());
                    if (ch == '-') {
                        return missing ? word : value;
                    }
                    if (ch == '+') {
                        return missing ? "" : word;
                    }
                    if (missing) {
                        String what = value == null ? "is not allowed to be unset" : "is not allowed to be empty";
                        throw new DockerfileException(line, DockerfileException.UNSET_VARIABLE, name + ": " + (word.isEmpty() ? what : word),
                                "pass a value for " + name + " (for example as a build argument)");
                    }
                    return value;
                }
                case '#', '%' -> {
                    if (nullIsUnset) {
                        throw error("unsupported modifier (" + modifier + ") in substitution");
                    }
                    boolean longest = peek() == ch;
                    if (longest) {
                        next();
                    }
                    String pattern = nested('}', true);
                    String value = env.get(name);
                    if (value == null && skipUnset) {
                        return "${" + name + modifier + (longest ? modifier : "") + pattern + "}";
                    }
                    return Glob.trim(value == null ? "" : value, pattern, ch == '#', longest, escape);
                }
                case '/' -> {
                    if (nullIsUnset) {
                        throw error("unsupported modifier (" + modifier + ") in substitution");
                    }
                    boolean all = peek() == '/';
                    if (all) {
                        next();
                    }
                    String pattern = nested('/', true);
                    String replacement = nested('}', true);
                    String value = env.get(name);
                    if (value == null && skipUnset) {
                        return "${" + name + "/" + (all ? "/" : "") + pattern + "/" + replacement + "}";
                    }
                    return Glob.replace(value == null ? "" : value, pattern, replacement, all, escape);
                }
                default -> throw error("unsupported modifier (" + modifier + ") in substitution");
            }
        }

        /** The word inside {@code ${...}}, scanned by a nested scan sharing this position. */
        String nested(int stop, boolean rawEscapes) throws DockerfileException {
            if (depth >= MAX_NESTING) {
                throw error("syntax error: ${...} nested more than " + MAX_NESTING + " deep");
            }
            Scan inner = new Scan(s, env, line, false);
            inner.depth = depth + 1;
            inner.pos = pos;
            try {
                String text = inner.run(stop, rawEscapes);
                pos = inner.pos;
                return text;
            } catch (DockerfileException e) {
                if (inner.peek() == EOF) {
                    throw error(stop == '/' ? "syntax error: missing '/' in ${}" : "syntax error: missing '}'");
                }
                throw e;
            }
        }

        String name() {
            int start = pos;
            int ch = peek();
            if (ch != EOF && Character.isDigit(ch)) {
                while (peek() != EOF && Character.isDigit(peek())) {
                    next();
                }
                return s.substring(start, pos);
            }
            if (ch != EOF && isSpecialParameter(ch)) {
                next();
                return s.substring(start, pos);
            }
            while (peek() != EOF && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                next();
            }
            return s.substring(start, pos);
        }
    }

    private static boolean isSpecialParameter(int ch) {
        return ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' || ch == '$' || ch == '!' || ch == '0';
    }
}
