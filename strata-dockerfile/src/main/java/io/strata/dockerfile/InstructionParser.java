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
import io.strata.dockerfile.Arguments.Unparsed;
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

    /**
     * Parses one logical line. Throws only what BuildKit's parser rejects; what only its build refuses
     * (unknown keyword, missing arguments, bad quoting) goes to {@code problems} and the instruction is
     * kept with the best arguments it allows.
     */
    static Instruction parse(String logical, char escape, int startLine, int endLine, String text,
            List<Problem> problems) throws DockerfileException {
        Layout layout = layout(logical);
        String keyword = layout.keyword();
        String value = Chars.trim(logical.substring(layout.restStart()));
        String args = Chars.trim(logical.substring(layout.argsStart()));
        Arguments arguments = new Checks(keyword, startLine, problems).arguments(args, escape, endLine, text);
        return new Instruction(keyword, startLine, endLine, text, value, layout.flags(), arguments, List.of());
    }

    /** The per-keyword rules for one instruction, with the place its problems go. */
    private record Checks(String keyword, int line, List<Problem> problems) {

        void problem(String code, String message, String hint) {
            problems.add(new Problem(line, code, message, hint));
        }

        void atLeastOne() {
            problem(DockerfileException.BAD_ARGUMENTS, keyword + " requires at least one argument",
                    "give " + keyword + " its arguments");
        }

        Arguments arguments(String args, char escape, int endLine, String text) throws DockerfileException {
            return switch (keyword) {
                case "FROM" -> from(args, escape);
                case "ENV", "LABEL" -> keyValues(args, escape);
                case "ARG" -> argDeclarations(args, escape);
                case "RUN", "CMD", "ENTRYPOINT" -> command(args);
                case "SHELL" -> {
                    Arguments a = command(args);
                    if (!(a instanceof ExecForm)) {
                        problem(DockerfileException.BAD_ARGUMENTS, "SHELL requires the arguments to be in JSON form",
                                "write SHELL [\"/bin/sh\", \"-c\"]");
                    }
                    yield a;
                }
                case "ADD", "COPY" -> paths(args, 2);
                case "VOLUME" -> paths(args, 1);
                case "EXPOSE" -> {
                    List<String> words = plain(WordSplitter.whitespace(args, 0));
                    if (words.isEmpty()) {
                        atLeastOne();
                    }
                    yield new Words(words, false);
                }
                case "USER", "WORKDIR", "MAINTAINER", "STOPSIGNAL" -> {
                    if (args.isEmpty()) {
                        problem(DockerfileException.BAD_ARGUMENTS, keyword + " requires exactly one argument",
                                "give " + keyword + " its value");
                    }
                    yield new Text(args);
                }
                case "HEALTHCHECK" -> healthcheck(args);
                case "ONBUILD" -> onbuild(args, escape, endLine, text);
                default -> {
                    problem(DockerfileException.UNKNOWN_INSTRUCTION, "unknown instruction: " + keyword,
                            "check the spelling; if this line continues the previous instruction, end that line with "
                                    + escape);
                    yield new Unparsed(args);
                }
            };
        }

        /** Every FROM with an image word is a stage; a wrong word count is a problem, not a parse error. */
        private Arguments from(String args, char escape) {
            List<String> words = plain(WordSplitter.whitespace(args, 0));
            if (words.isEmpty()) {
                problem(DockerfileException.BAD_ARGUMENTS, "FROM requires either one or three arguments",
                        "write FROM <image> or FROM <image> AS <name>");
                return new Words(words, false);
            }
            lexes(words.get(0), escape);
            if (words.size() == 1) {
                return new FromImage(words.get(0), null);
            }
            if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
                String name = words.get(2).toLowerCase(Locale.ROOT);
                if (validStageName(name)) {
                    return new FromImage(words.get(0), name);
                }
                problem(DockerfileException.BAD_ARGUMENTS, "invalid name for build stage: \"" + words.get(2)
                        + "\", name can't start with a number or contain symbols",
                        "use a name of letters, digits, '-', '_' and '.' that starts with a letter");
            } else {
                problem(DockerfileException.BAD_ARGUMENTS, "FROM requires either one or three arguments",
                        "write FROM <image> or FROM <image> AS <name>");
            }
            return new FromImage(words.get(0), null);
        }

        private KeyValues keyValues(String args, char escape) throws DockerfileException {
            List<Word> words = WordSplitter.quoteAware(args, 0, escape);
            if (words.isEmpty()) {
                atLeastOne();
                return new KeyValues(List.of(), false);
            }
            List<KeyValue> pairs = new ArrayList<>(words.size());
            if (words.get(0).text().indexOf('=') < 0) {
                List<Word> parts = WordSplitter.whitespace(args, 0);
                if (parts.size() < 2) {
                    throw new DockerfileException(line, keyword + " must have two arguments: a key and a value",
                            "write " + keyword + " " + parts.get(0).text() + "=<value>");
                }
                pairs.add(new KeyValue(parts.get(0).text(), args.substring(parts.get(1).start())));
                return checked(new KeyValues(pairs, true), escape);
            }
            for (Word word : words) {
                String w = word.text();
                int eq = w.indexOf('=');
                if (eq < 0) {
                    throw new DockerfileException(line, "Syntax error - can't find = in \"" + w
                            + "\". Must be of the form: name=value", "write " + keyword + " key=value key2=value2");
                }
                if (eq == 0) {
                    problem(DockerfileException.BAD_ARGUMENTS, keyword + " names can not be blank",
                            "put a key before '=' in \"" + w + "\"");
                }
                pairs.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
            }
            return checked(new KeyValues(pairs, false), escape);
        }

        /** Notes early what the build would reject: unbalanced quotes and bad ${...} syntax. */
        private KeyValues checked(KeyValues kv, char escape) {
            for (KeyValue pair : kv.pairs()) {
                if (!lexes(pair.rawKey(), escape)) {
                    break;
                }
                if (!lexes(pair.rawValue(), escape)) {
                    break;
                }
            }
            return kv;
        }

        /** False (and a problem noted) when the build's expansion of {@code raw} would fail on its syntax. */
        boolean lexes(String raw, char escape) {
            if (!mayFailLexing(raw, escape)) {
                return true;
            }
            try {
                ShellLexer.checking(escape).processWord(raw, Map.of(), line);
                return true;
            } catch (DockerfileException e) {
                problems.add(Problem.of(e));
                return false;
            }
        }

        private ArgDeclarations argDeclarations(String args, char escape) {
            List<Word> words = WordSplitter.quoteAware(args, 0, escape);
            if (words.isEmpty()) {
                atLeastOne();
            }
            List<ArgDeclaration> declarations = new ArrayList<>(words.size());
            for (Word word : words) {
                String w = word.text();
                int eq = w.indexOf('=');
                String rawName = eq < 0 ? w : w.substring(0, eq);
                if (rawName.isEmpty()) {
                    problem(DockerfileException.BAD_ARGUMENTS, "ARG names can not be blank",
                            "write ARG NAME or ARG NAME=default");
                    continue;
                }
                String rawDefault = eq < 0 ? null : w.substring(eq + 1);
                if (!lexes(rawName, escape) || (rawDefault != null && !lexes(rawDefault, escape))) {
                    declarations.add(new ArgDeclaration(rawName, rawDefault));
                    continue;
                }
                declarations.add(new ArgDeclaration(argName(rawName, escape), rawDefault));
            }
            return new ArgDeclarations(declarations);
        }

        /** BuildKit runs ARG names through the shell lexer: {@code ARG "name"=v} declares {@code name}. */
        private String argName(String rawName, char escape) {
            if (!mayFailLexing(rawName, escape)) {
                return rawName;
            }
            try {
                return ShellLexer.dequoting(escape).processWord(rawName, Map.of(), line);
            } catch (DockerfileException e) {
                return rawName;
            }
        }

        /** RUN, CMD, ENTRYPOINT, SHELL: JSON array if it parses, shell form otherwise. */
        private Arguments command(String args) throws DockerfileException {
            List<String> json = json(args);
            return json != null ? new ExecForm(json) : new ShellForm(args);
        }

        private Words paths(String args, int minimum) throws DockerfileException {
            List<String> json = json(args);
            List<String> words = json != null ? json : plain(WordSplitter.whitespace(args, 0));
            if (words.size() < minimum) {
                if (minimum == 1) {
                    atLeastOne();
                } else {
                    problem(DockerfileException.BAD_ARGUMENTS, keyword + " requires at least two arguments, but only "
                            + (words.isEmpty() ? "none were" : "one was")
                            + " provided. Destination could not be determined.",
                            "write " + keyword + " <source>... <destination>");
                }
            }
            return new Words(words, json != null);
        }

        private List<String> json(String args) throws DockerfileException {
            try {
                return JsonArray.parse(args);
            } catch (JsonArray.NotStrings e) {
                throw new DockerfileException(line,
                        "when using JSON array syntax, arrays must be comprised of strings only",
                        "quote every element of the " + keyword + " array, e.g. [\"echo\", \"1\"]");
            }
        }

        private Arguments healthcheck(String args) throws DockerfileException {
            int sep = 0;
            while (sep < args.length() && !Chars.isSpace(args.charAt(sep))) {
                sep++;
            }
            if (sep == 0) {
                atLeastOne();
                return new Unparsed(args);
            }
            String type = args.substring(0, sep).toUpperCase(Locale.ROOT);
            String rest = Chars.trim(args.substring(sep));
            // BuildKit's parser reads the rest as a command (JSON or not) whatever the type.
            Arguments command = command(rest);
            if (type.equals("NONE")) {
                if (!rest.isEmpty()) {
                    problem(DockerfileException.BAD_ARGUMENTS, "HEALTHCHECK NONE takes no arguments",
                            "write HEALTHCHECK NONE alone, or HEALTHCHECK CMD <command>");
                }
                return new HealthcheckNone();
            }
            if (!type.equals("CMD")) {
                problem(DockerfileException.BAD_ARGUMENTS, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)",
                        "write HEALTHCHECK [options] CMD <command> or HEALTHCHECK NONE");
                return new Unparsed(args);
            }
            if (rest.isEmpty()) {
                problem(DockerfileException.BAD_ARGUMENTS, "Missing command after HEALTHCHECK CMD",
                        "write HEALTHCHECK CMD <command>");
            }
            return new HealthcheckCmd((Command) command);
        }

        private Arguments onbuild(String args, char escape, int endLine, String text) throws DockerfileException {
            if (args.isEmpty()) {
                atLeastOne();
                return new Unparsed(args);
            }
            // BuildKit checks only the trigger's keyword until a child image runs it: its other problems wait.
            Instruction trigger = parse(args, escape, line, endLine, text, new ArrayList<>());
            switch (trigger.keyword()) {
                case "ONBUILD" -> problem(DockerfileException.BAD_ARGUMENTS,
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", "remove the second ONBUILD");
                case "FROM", "MAINTAINER" -> problem(DockerfileException.BAD_ARGUMENTS,
                        trigger.keyword() + " isn't allowed as an ONBUILD trigger", "remove this ONBUILD instruction");
                default -> {
                    // A trigger BuildKit accepts.
                }
            }
            return new OnBuild(trigger);
        }
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

    /** Only quotes, {@code $} and escapes can make the lexer fail; most values have none. */
    static boolean mayFailLexing(String raw, char escape) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '$' || c == '\'' || c == '"' || c == escape) {
                return true;
            }
        }
        return false;
    }

    private static List<String> plain(List<Word> words) {
        List<String> out = new ArrayList<>(words.size());
        for (Word w : words) {
            out.add(w.text());
        }
        return out;
    }
}
