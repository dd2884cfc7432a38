package io.strata.dockerfile;

import io.strata.dockerfile.Arguments.ArgDeclarations;
import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.FromImage;
import io.strata.dockerfile.Arguments.HealthcheckCmd;
import io.strata.dockerfile.Arguments.HealthcheckNone;
import io.strata.dockerfile.Arguments.KeyValues;
import io.strata.dockerfile.Arguments.OnBuild;
import io.strata.dockerfile.Arguments.ShellForm;
import io.strata.dockerfile.Arguments.Text;
import io.strata.dockerfile.Arguments.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns one logical line into an {@link Instruction}, with BuildKit's per-keyword argument rules and errors. */
final class InstructionParser {
    /**
     * The known keywords, each mapped to itself: looking a keyword up here gives the one shared constant,
     * so the many later keyword comparisons succeed on identity.
     */
    private static final Map<String, String> KEYWORDS = Stream.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV",
            "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER",
            "VOLUME", "WORKDIR").collect(Collectors.toUnmodifiableMap(k -> k, k -> k));

    private InstructionParser() {}

    /**
     * Where the parts of a logical line are.
     *
     * @param keyword   upper-cased first word
     * @param restStart start of everything after the keyword (flags included)
     * @param flags     the builder flags
     * @param argsStart start of the arguments after the flags
     */
    record Layout(String keyword, int restStart, List<Flag> flags, int argsStart) {}

    static Layout layout(String logical) {
        int n = logical.length();
        int pos = 0;
        while (pos < n && Chars.isSpace(logical.charAt(pos))) {
            pos++;
        }
        int keywordStart = pos;
        while (pos < n && !Chars.isBlank(logical.charAt(pos))) {
            pos++;
        }
        String keyword = canonicalKeyword(logical.substring(keywordStart, pos));
        while (pos < n && Chars.isBlank(logical.charAt(pos))) {
            pos++;
        }
        WordSplitter.Flags flags = WordSplitter.builderFlags(logical, pos);
        return new Layout(keyword, pos, flags.flags(), flags.argsStart());
    }

    private static String canonicalKeyword(String word) {
        boolean upper = true;
        for (int i = 0; i < word.length() && upper; i++) {
            char c = word.charAt(i);
            upper = c < 'a' || c > 'z';
        }
        String keyword = upper ? word : word.toUpperCase(Locale.ROOT);
        return KEYWORDS.getOrDefault(keyword, keyword);
    }

    static Instruction parse(String logical, char escape, int startLine, int endLine, String text)
            throws DockerfileException {
        Layout layout = layout(logical);
        String keyword = layout.keyword();
        String value = Chars.trim(logical.substring(layout.restStart()));
        String args = Chars.trim(logical.substring(layout.argsStart()));
        Arguments arguments = arguments(keyword, args, escape, startLine, endLine, text);
        return new Instruction(keyword, startLine, endLine, text, value, layout.flags(), arguments, List.of());
    }

    private static Arguments arguments(String keyword, String args, char escape, int line, int endLine, String text)
            throws DockerfileException {
        return switch (keyword) {
            case "FROM" -> from(args, line);
            case "ENV", "LABEL" -> keyValues(keyword, args, escape, line);
            case "ARG" -> argDeclarations(args, escape, line);
            case "RUN", "CMD", "ENTRYPOINT" -> command(keyword, args, line);
            case "SHELL" -> {
                Arguments a = command(keyword, args, line);
                if (!(a instanceof ExecForm)) {
                    throw new DockerfileException(line, "SHELL requires the arguments to be in JSON form",
                            "write SHELL [\"/bin/sh\", \"-c\"]");
                }
                yield a;
            }
            case "ADD", "COPY" -> paths(keyword, args, line, 2);
            case "VOLUME" -> paths(keyword, args, line, 1);
            case "EXPOSE" -> {
                List<String> words = plain(WordSplitter.whitespace(args, 0));
                if (words.isEmpty()) {
                    throw atLeastOne(keyword, line);
                }
                yield new Words(words, false);
            }
            case "USER", "WORKDIR", "MAINTAINER", "STOPSIGNAL" -> {
                if (args.isEmpty()) {
                    throw new DockerfileException(line, keyword + " requires exactly one argument",
                            "give " + keyword + " its value");
                }
                yield new Text(args);
            }
            case "HEALTHCHECK" -> healthcheck(args, line);
            case "ONBUILD" -> onbuild(args, escape, line, endLine, text);
            default -> throw new DockerfileException(line, "unknown instruction: " + keyword,
                    "check the spelling; if this line continues the previous instruction, end that line with "
                            + escape);
        };
    }

    private static FromImage from(String args, int line) throws DockerfileException {
        List<String> words = plain(WordSplitter.whitespace(args, 0));
        if (words.size() == 1) {
            return new FromImage(words.get(0), null);
        }
        if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
            String name = words.get(2).toLowerCase(Locale.ROOT);
            if (!validStageName(name)) {
                throw new DockerfileException(line, "invalid name for build stage: \"" + words.get(2)
                        + "\", name can't start with a number or contain symbols",
                        "use a name of letters, digits, '-', '_' and '.' that starts with a letter");
            }
            return new FromImage(words.get(0), name);
        }
        throw new DockerfileException(line, "FROM requires either one or three arguments",
                "write FROM <image> or FROM <image> AS <name>");
    }

    static boolean validStageName(String name) {
        if (name.isEmpty() || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static KeyValues keyValues(String keyword, String args, char escape, int line)
            throws DockerfileException {
        List<Word> words = WordSplitter.quoteAware(args, 0, escape);
        if (words.isEmpty()) {
            throw atLeastOne(keyword, line);
        }
        List<KeyValue> pairs = new ArrayList<>(words.size());
        if (words.get(0).text().indexOf('=') < 0) {
            List<Word> parts = WordSplitter.whitespace(args, 0);
            if (parts.size() < 2) {
                throw new DockerfileException(line, keyword + " names a key but no value",
                        "write " + keyword + " " + parts.get(0).text() + "=<value>");
            }
            pairs.add(new KeyValue(parts.get(0).text(), args.substring(parts.get(1).start())));
            return checked(new KeyValues(pairs, true), keyword, escape, line);
        }
        for (Word word : words) {
            String w = word.text();
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw new DockerfileException(line, "Syntax error - can't find = in \"" + w
                        + "\". Must be of the form: name=value", "write " + keyword + " key=value key2=value2");
            }
            if (eq == 0) {
                throw new DockerfileException(line, keyword + " names can not be blank",
                        "put a key before '=' in \"" + w + "\"");
            }
            pairs.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
        }
        return checked(new KeyValues(pairs, false), keyword, escape, line);
    }

    /** Rejects early what the build would reject: unbalanced quotes and bad ${...} syntax. */
    private static KeyValues checked(KeyValues kv, String keyword, char escape, int line) throws DockerfileException {
        ShellLexer lexer = ShellLexer.checking(escape);
        for (KeyValue pair : kv.pairs()) {
            if (mayFailLexing(pair.rawKey(), escape)) {
                lexer.processWord(pair.rawKey(), Map.of(), line);
            }
            if (mayFailLexing(pair.rawValue(), escape)) {
                lexer.processWord(pair.rawValue(), Map.of(), line);
            }
        }
        return kv;
    }

    /** Only quotes, {@code $} and escapes can make the lexer fail; most values have none. */
    private static boolean mayFailLexing(String raw, char escape) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '$' || c == '\'' || c == '"' || c == escape) {
                return true;
            }
        }
        return false;
    }

    private static ArgDeclarations argDeclarations(String args, char escape, int line) throws DockerfileException {
        List<Word> words = WordSplitter.quoteAware(args, 0, escape);
        if (words.isEmpty()) {
            throw atLeastOne("ARG", line);
        }
        List<ArgDeclaration> declarations = new ArrayList<>(words.size());
        ShellLexer lexer = ShellLexer.dequoting(escape);
        for (Word word : words) {
            String w = word.text();
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (name.isEmpty()) {
                throw new DockerfileException(line, "ARG names can not be blank", "write ARG NAME or ARG NAME=default");
            }
            String rawDefault = eq < 0 ? null : w.substring(eq + 1);
            if (rawDefault != null) {
                lexer.processWord(rawDefault, Map.of(), line);
            }
            declarations.add(new ArgDeclaration(name, rawDefault));
        }
        return new ArgDeclarations(declarations);
    }

    /** RUN, CMD, ENTRYPOINT, SHELL: JSON array if it parses, shell form otherwise. */
    private static Arguments command(String keyword, String args, int line) throws DockerfileException {
        List<String> json = json(keyword, args, line);
        return json != null ? new ExecForm(json) : new ShellForm(args);
    }

    private static Words paths(String keyword, String args, int line, int minimum) throws DockerfileException {
        List<String> json = json(keyword, args, line);
        List<String> words = json != null ? json : plain(WordSplitter.whitespace(args, 0));
        if (words.size() < minimum) {
            if (minimum == 1) {
                throw atLeastOne(keyword, line);
            }
            throw new DockerfileException(line, keyword + " requires at least two arguments, but only "
                    + (words.isEmpty() ? "none were" : "one was") + " provided. Destination could not be determined.",
                    "write " + keyword + " <source>... <destination>");
        }
        return new Words(words, json != null);
    }

    private static List<String> json(String keyword, String args, int line) throws DockerfileException {
        try {
            return JsonArray.parse(args);
        } catch (JsonArray.NotStrings e) {
            throw new DockerfileException(line,
                    "when using JSON array syntax, arrays must be comprised of strings only",
                    "quote every element of the " + keyword + " array, e.g. [\"echo\", \"1\"]");
        }
    }

    private static Arguments healthcheck(String args, int line) throws DockerfileException {
        int sep = 0;
        while (sep < args.length() && !Chars.isSpace(args.charAt(sep))) {
            sep++;
        }
        if (sep == 0) {
            throw atLeastOne("HEALTHCHECK", line);
        }
        String type = args.substring(0, sep).toUpperCase(Locale.ROOT);
        String rest = Chars.trim(args.substring(sep));
        if (type.equals("NONE")) {
            if (!rest.isEmpty()) {
                throw new DockerfileException(line, "HEALTHCHECK NONE takes no arguments",
                        "write HEALTHCHECK NONE alone, or HEALTHCHECK CMD <command>");
            }
            return new HealthcheckNone();
        }
        if (!type.equals("CMD")) {
            throw new DockerfileException(line, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)",
                    "write HEALTHCHECK [options] CMD <command> or HEALTHCHECK NONE");
        }
        if (rest.isEmpty()) {
            throw new DockerfileException(line, "Missing command after HEALTHCHECK CMD",
                    "write HEALTHCHECK CMD <command>");
        }
        return new HealthcheckCmd((Command) command("HEALTHCHECK", rest, line));
    }

    private static OnBuild onbuild(String args, char escape, int line, int endLine, String text)
            throws DockerfileException {
        if (args.isEmpty()) {
            throw atLeastOne("ONBUILD", line);
        }
        Instruction trigger = parse(args, escape, line, endLine, text);
        switch (trigger.keyword()) {
            case "ONBUILD" -> throw new DockerfileException(line,
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", "remove the second ONBUILD");
            case "FROM", "MAINTAINER" -> throw new DockerfileException(line,
                    trigger.keyword() + " isn't allowed as an ONBUILD trigger", "remove this ONBUILD instruction");
            default -> {
                return new OnBuild(trigger);
            }
        }
    }

    private static DockerfileException atLeastOne(String keyword, int line) {
        return new DockerfileException(line, keyword + " requires at least one argument",
                "give " + keyword + " its arguments");
    }

    private static List<String> plain(List<Word> words) {
        List<String> out = new ArrayList<>(words.size());
        for (Word w : words) {
            out.add(w.text());
        }
        return out;
    }
}
