package io.strata.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses INI text with the rules of Python's configparser in its default (strict) mode, so an
 * osbs.conf reads here as it read in osbs-client: {@code key = value} or {@code key: value}, keys
 * case-insensitive, full-line {@code #}/{@code ;} comments, indented lines continue the value above
 * (joined with a newline, blank lines inside kept), values kept as written, no inline comments.
 * Duplicate sections or keys and lines outside a section are errors, all reported at once.
 */
public final class IniParser {
    private static final Pattern SECTION = Pattern.compile("\\[([^\\]]+)\\]");

    private IniParser() {}

    public static IniDocument parse(String file, String text) throws ConfigException {
        return new Run(file).parse(text);
    }

    /** The state of one parse; single use. */
    private static final class Run {
        private final String file;
        private final List<ConfigProblem> problems = new ArrayList<>();
        private final List<IniDocument.Section> sections = new ArrayList<>();
        private final Map<String, Integer> sectionLines = new LinkedHashMap<>();

        private String sectionName;
        private int sectionLine;
        private Map<String, IniDocument.Entry> entries;
        // the option being read, so indented lines can continue it
        private String optionKey;
        private int optionIndent;
        private int pendingBlankLines;

        Run(String file) {
            this.file = file;
        }

        IniDocument parse(String text) throws ConfigException {
            String[] lines = text.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                line(i + 1, lines[i]);
            }
            closeSection();
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new IniDocument(file, sections);
        }

        private void line(int number, String line) {
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                if (optionKey != null) {
                    pendingBlankLines++;
                }
                return;
            }
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                return;
            }
            int indent = line.length() - line.stripLeading().length();
            if (optionKey != null && indent > optionIndent) {
                continueValue(stripped);
                return;
            }
            optionKey = null;
            pendingBlankLines = 0;
            Matcher header = SECTION.matcher(stripped);
            if (stripped.startsWith("[")) {
                if (!header.matches()) {
                    problem(number, "malformed section header '" + stripped + "'",
                            "write the header alone on its line, e.g. [default] or [platform:x86_64]");
                    return;
                }
                openSection(number, header.group(1));
                return;
            }
            option(number, indent, stripped);
        }

        private void openSection(int number, String name) {
            closeSection();
            Integer earlier = sectionLines.putIfAbsent(name, number);
            if (earlier != null) {
                problem(number, "section [" + name + "] appears again (first at line " + earlier + ")",
                        "merge the two [" + name + "] sections into one");
            }
            sectionName = name;
            sectionLine = number;
            entries = new LinkedHashMap<>();
        }

        private void option(int number, int indent, String stripped) {
            int separator = firstSeparator(stripped);
            if (separator < 0) {
                problem(number, "'" + stripped + "' is not a key = value line",
                        "write key = value (or key: value); start a comment with # or ;");
                return;
            }
            String key = stripped.substring(0, separator).strip().toLowerCase(Locale.ROOT);
            String value = stripped.substring(separator + 1).strip();
            if (key.isEmpty()) {
                problem(number, "a value without a key: '" + stripped + "'", "put the key name before the '='");
                return;
            }
            if (entries == null) {
                problem(number, "'" + key + "' is outside any section",
                        "put a section header such as [default] or [general] above it");
                return;
            }
            IniDocument.Entry earlier = entries.get(key);
            if (earlier != null) {
                problem(number, "key '" + key + "' appears again in [" + sectionName + "] (first at line "
                        + earlier.line() + ")", "keep one '" + key + "' line in [" + sectionName + "]");
                return;
            }
            entries.put(key, new IniDocument.Entry(key, value, number));
            optionKey = key;
            optionIndent = indent;
        }

        private void continueValue(String stripped) {
            IniDocument.Entry entry = entries.get(optionKey);
            String joined = entry.value() + "\n".repeat(pendingBlankLines + 1) + stripped;
            pendingBlankLines = 0;
            entries.put(optionKey, new IniDocument.Entry(optionKey, joined.strip(), entry.line()));
        }

        private void closeSection() {
            if (entries != null && sectionLines.get(sectionName) == sectionLine) {
                sections.add(new IniDocument.Section(sectionName, sectionLine, entries));
            }
            entries = null;
        }

        private static int firstSeparator(String line) {
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            if (eq < 0) {
                return colon;
            }
            return colon < 0 ? eq : Math.min(eq, colon);
        }

        private void problem(int line, String message, String fix) {
            problems.add(new ConfigProblem(file, line, message, fix));
        }
    }
}
