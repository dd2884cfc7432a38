package io.strata.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the here-documents an instruction line opens ({@code <<EOF}, {@code <<-EOF}, {@code 3<<"EOF"}):
 * every word of the form {@code [fd]<<[-]delimiter}. BuildKit always lexes this with a backslash escape,
 * whatever the escape directive says, and a quoted delimiter turns expansion of the body off.
 */
final class HeredocDetector {
    private static final ShellLexer DEQUOTE = ShellLexer.dequoting('\\');
    private static final ShellLexer KEEP_QUOTES = ShellLexer.rawQuoting('\\');

    private HeredocDetector() {}

    /** A heredoc opened on the instruction line; its body is read afterwards. */
    record Opening(String name, boolean chomp, boolean expand, int fileDescriptor) {}

    static boolean mayOpen(Instruction instruction) {
        Instruction target = instruction.arguments() instanceof Arguments.OnBuild onBuild ? onBuild.trigger() : instruction;
        boolean kind = switch (target.keyword()) {
            case "RUN", "COPY", "ADD" -> true;
            default -> false;
        };
        if (!kind) {
            return false;
        }
        boolean json = target.arguments() instanceof Arguments.ExecForm
                || target.arguments() instanceof Arguments.Words w && w.json();
        return !json;
    }

    static List<Opening> openings(String logicalLine, int line) throws DockerfileException {
        if (!logicalLine.contains("<<")) {
            return List.of();
        }
        List<Opening> openings = new ArrayList<>(1);
        List<Word> words = WordSplitter.quoteAware(logicalLine, 0, '\\');
        for (int i = 0; i < words.size(); i++) {
            Word word = words.get(i);
            String text = word.text();
            // BuildKit's lexer keeps "<<" and the blanks after it in one word with what follows.
            while (text.endsWith("<<") && i + 1 < words.size() && blanksOnly(logicalLine, word.end(), words.get(i + 1).start())) {
                text = text + logicalLine.substring(word.end(), words.get(i + 1).start()) + words.get(i + 1).text();
                word = words.get(++i);
            }
            Opening opening = opening(text, line);
            if (opening != null) {
                openings.add(opening);
            }
        }
        return openings;
    }

    private static boolean blanksOnly(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static Opening opening(String word, int line) throws DockerfileException {
        int i = 0;
        while (i < word.length() && word.charAt(i) >= '0' && word.charAt(i) <= '9') {
            i++;
        }
        if (!word.startsWith("<<", i)) {
            return null;
        }
        String digits = word.substring(0, i);
        i += 2;
        boolean chomp = i < word.length() && word.charAt(i) == '-';
        if (chomp) {
            i++;
        }
        while (i < word.length() && Chars.isBlank(word.charAt(i))) {
            i++;
        }
        String rest = word.substring(i);
        if (rest.isEmpty() || rest.indexOf('<') >= 0) {
            return null;
        }
        String name;
        String raw;
        try {
            name = DEQUOTE.processWord(rest, Map.of(), line);
            raw = KEEP_QUOTES.processWord(rest, Map.of(), line);
        } catch (DockerfileException e) {
            throw new DockerfileException(line, "invalid heredoc delimiter <<" + rest + ": " + e.getMessage(),
                    "close the quote in the delimiter, e.g. <<'EOF'");
        }
        boolean expand = quotes(name) == quotes(raw);
        return new Opening(name, chomp, expand, fileDescriptor(digits));
    }

    /** BuildKit ignores a descriptor it cannot parse, which leaves it 0. */
    private static int fileDescriptor(String digits) {
        try {
            return digits.isEmpty() ? 0 : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int quotes(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                count++;
            }
        }
        return count;
    }
}
