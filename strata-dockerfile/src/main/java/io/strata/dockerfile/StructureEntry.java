package io.strata.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of dockerfile-parse's {@code structure}.
 *
 * @param instruction the keyword in upper case, or {@code COMMENT} for a comment or parser directive
 * @param startline   0-based first line
 * @param endline     0-based last line (inclusive)
 * @param content     the original lines, terminators included; for an instruction without the comment
 *                    lines inside it (those are entries of their own)
 * @param value       the instruction after its keyword with continuations joined, or the comment's text
 *                    after {@code #}
 */
public record StructureEntry(String instruction, int startline, int endline, String content, String value) {

    static List<StructureEntry> of(Dockerfile dockerfile) {
        List<StructureEntry> out = new ArrayList<>();
        for (Node node : dockerfile.nodes()) {
            switch (node) {
                case Instruction i -> instruction(dockerfile, i, out);
                case Comment c -> out.add(comment(c.startLine(), c.text()));
                case ParserDirective d -> out.add(comment(d.startLine(), d.text()));
                case BlankLine b -> {
                    // dockerfile-parse has no entry for blank lines.
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The comment lines inside the instruction's continued part come first, as dockerfile-parse lists
     * them (it emits the instruction when its last line is read). Heredoc bodies stay in the content.
     */
    private static void instruction(Dockerfile dockerfile, Instruction instruction, List<StructureEntry> out) {
        String text = instruction.text();
        int continued = LogicalLine.of(dockerfile, instruction).lines();
        StringBuilder content = new StringBuilder(text.length());
        int line = instruction.startLine();
        int pos = 0;
        for (int index = 0; pos < text.length(); index++, line++) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl + 1;
            if (index > 0 && index < continued && isComment(text, pos, end)) {
                out.add(comment(line, text.substring(pos, end)));
            } else {
                content.append(text, pos, end);
            }
            pos = end;
        }
        out.add(new StructureEntry(instruction.keyword(), instruction.startLine() - 1, instruction.endLine() - 1,
                content.toString(), instruction.value()));
    }

    private static boolean isComment(String text, int from, int end) {
        int p = from;
        while (p < end && Chars.isSpace(text.charAt(p))) {
            p++;
        }
        return p < end && text.charAt(p) == '#';
    }

    /** dockerfile-parse's value of a comment line: without leading blanks, {@code #} and blanks after it, and newline. */
    private static StructureEntry comment(int line, String text) {
        int p = 0;
        while (p < text.length() && Chars.isSpace(text.charAt(p))) {
            p++;
        }
        p++;
        while (p < text.length() && Chars.isSpace(text.charAt(p))) {
            p++;
        }
        String value = p >= text.length() ? "" : text.substring(p).replace("\n", "");
        return new StructureEntry("COMMENT", line - 1, line - 1, text, value);
    }
}
