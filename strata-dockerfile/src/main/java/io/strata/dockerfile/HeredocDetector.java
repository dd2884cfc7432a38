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
        for (Word word : WordSplitter.quoteAware(logicalLine, 0, '\\')) {
            Opening opening = opening(word.text(), line);
            if (opening != null) {
                openings.add(opening);
            }
        }
        return openings;
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
        String rest = word.substring(i);
        if (rest.isEmpty() || rest.indexOf('<') >= 0) {
            return null;
        }
        String name = DEQUOTE.processWord(rest, Map.of(), line);
        String raw = KEEP_QUOTES.processWord(rest, Map.of(), line);
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
