package io.strata.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One pass over the characters of a Dockerfile, line by line, following BuildKit's parser: parser
 * directives at the very top, comments and blank lines as their own nodes, instructions with their
 * continuation lines and here-documents. Every character of the input lands in exactly one node.
 */
final class DockerfileParser {
    private final String content;
    private final char[] buf;
    private final int n;
    private char escape = '\\';
    private final List<Node> nodes = new ArrayList<>();
    private final List<Instruction> instructions = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Start offset of each line; one extra entry for the end of the content. */
    private int[] lineStarts = new int[64];
    private int lineCount;

    private DockerfileParser(String content) {
        this.content = content;
        this.buf = content.toCharArray();
        this.n = buf.length;
    }

    /**
     * The parse result: the nodes in order, the instructions among them, the line table, and what BuildKit's
     * build (not its parser) would refuse, in line order.
     */
    record Result(List<Node> nodes, List<Instruction> instructions, char escape, int[] lineStarts, int lineCount,
            List<Problem> problems) {}

    static Result parse(String content) throws DockerfileException {
        return new DockerfileParser(content).run();
    }

    private Result run() throws DockerfileException {
        indexLines();
        int line = 0;
        boolean directives = true;
        boolean sawSyntax = false;
        boolean sawEscape = false;
        boolean sawCheck = false;
        while (line < lineCount) {
            int start = lineStarts[line];
            int end = lineStarts[line + 1];
            int contentEnd = contentEnd(start, end);
            int first = start;
            if (line == 0 && first < contentEnd && buf[first] == '\uFEFF') {
                first++;
            }
            while (first < contentEnd && Chars.isSpace(buf[first])) {
                first++;
            }
            if (directives) {
                ParserDirective directive = directive(line + 1, start, end, first, contentEnd);
                if (directive != null) {
                    boolean seen = switch (directive.name()) {
                        case "escape" -> sawEscape;
                        case "syntax" -> sawSyntax;
                        default -> sawCheck;
                    };
                    if (seen) {
                        throw new DockerfileException(line + 1, "only one " + directive.name()
                                + " parser directive can be used", "remove the repeated # " + directive.name() + "= line");
                    }
                    switch (directive.name()) {
                        case "escape" -> {
                            sawEscape = true;
                            escape = escapeToken(directive.value(), line + 1);
                        }
                        case "syntax" -> sawSyntax = true;
                        default -> sawCheck = true;
                    }
                    nodes.add(directive);
                    line++;
                    continue;
                }
                directives = false;
            }
            if (first == contentEnd) {
                nodes.add(new BlankLine(line + 1, content.substring(start, end)));
                line++;
            } else if (buf[first] == '#') {
                nodes.add(new Comment(line + 1, content.substring(start, end),
                        Chars.trim(content.substring(first + 1, contentEnd))));
                line++;
            } else {
                line = instruction(line, start, first);
            }
        }
        if (instructions.isEmpty()) {
            throw new DockerfileException(Math.max(1, lineCount), "file with no instructions",
                    "a Dockerfile needs at least a FROM line");
        }
        checkStages();
        problems.sort(java.util.Comparator.comparingInt(Problem::line));
        return new Result(List.copyOf(nodes), List.copyOf(instructions), escape, lineStarts, lineCount,
                List.copyOf(problems));
    }

    /** Reads one instruction starting on {@code line}; returns the index of the line after it. */
    private int instruction(int line, int start, int first) throws DockerfileException {
        LogicalLine logical = LogicalLine.join(buf, first, n, escape, false);
        int startLine = line + 1;
        int next = line + logical.lines();
        Instruction parsed = InstructionParser.parse(logical.text(), escape, startLine, next,
                content.substring(start, logical.end()), problems);
        List<Heredoc> heredocs = List.of();
        if (HeredocDetector.mayOpen(parsed)) {
            List<HeredocDetector.Opening> openings = HeredocDetector.openings(logical.text(), startLine);
            if (!openings.isEmpty()) {
                heredocs = new ArrayList<>(openings.size());
                for (HeredocDetector.Opening opening : openings) {
                    next = readHeredoc(opening, next, startLine, heredocs);
                }
            }
        }
        int endOffset = lineStarts[next];
        if (next != line + logical.lines()) {
            parsed = withBody(parsed, next, content.substring(start, endOffset), heredocs);
        }
        nodes.add(parsed);
        instructions.add(parsed);
        return next;
    }

    private static Instruction withBody(Instruction parsed, int endLine, String text, List<Heredoc> heredocs) {
        Arguments arguments = parsed.arguments();
        if (arguments instanceof Arguments.OnBuild onBuild) {
            Instruction t = onBuild.trigger();
            arguments = new Arguments.OnBuild(new Instruction(t.keyword(), t.startLine(), endLine, text, t.value(),
                    t.flags(), t.arguments(), heredocs));
        }
        return new Instruction(parsed.keyword(), parsed.startLine(), endLine, text, parsed.value(), parsed.flags(),
                arguments, heredocs);
    }

    /** Reads a heredoc body starting at line index {@code line}; returns the index after its terminator. */
    private int readHeredoc(HeredocDetector.Opening opening, int line, int startLine, List<Heredoc> into)
            throws DockerfileException {
        StringBuilder body = new StringBuilder();
        String terminator = opening.name();
        while (line < lineCount) {
            int start = lineStarts[line];
            int end = lineStarts[line + 1];
            int contentEnd = contentEnd(start, end);
            line++;
            int from = start;
            if (opening.chomp()) {
                while (from < contentEnd && buf[from] == '\t') {
                    from++;
                }
            }
            if (contentEnd - from == terminator.length() && content.startsWith(terminator, from)) {
                into.add(new Heredoc(opening.name(), body.toString(), opening.chomp(), opening.expand(),
                        opening.fileDescriptor()));
                return line;
            }
            body.append(buf, from, end - from);
        }
        throw new DockerfileException(startLine, "unterminated heredoc <<" + (opening.chomp() ? "-" : "") + terminator,
                "end the here-document with a line that holds only " + terminator);
    }

    /**
     * BuildKit's build runs every instruction inside a stage and only ARG may come before the first FROM;
     * its parser does not care, so these are problems, not parse errors.
     */
    private void checkStages() {
        boolean inStage = false;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                inStage = true;
            } else if (!inStage && !instruction.keyword().equals("ARG")) {
                problems.add(new Problem(instruction.startLine(), DockerfileException.NO_STAGE,
                        "no build stage in current context: " + instruction.keyword() + " comes before the first FROM",
                        "start the Dockerfile with FROM <image> (only ARG may come before it)"));
                return;
            }
        }
        if (!inStage) {
            problems.add(new Problem(instructions.get(0).startLine(), DockerfileException.NO_STAGE,
                    "the Dockerfile has no FROM, so no build stage", "add FROM <image>"));
        }
    }

    /** {@code # name=value} with a known name, on a line of its own at the top. */
    private ParserDirective directive(int lineNumber, int start, int end, int first, int contentEnd) {
        if (first >= contentEnd || buf[first] != '#') {
            return null;
        }
        int p = first + 1;
        while (p < contentEnd && Chars.isSpace(buf[p])) {
            p++;
        }
        int nameStart = p;
        if (p >= contentEnd || !isAsciiLetter(buf[p])) {
            return null;
        }
        while (p < contentEnd && (isAsciiLetter(buf[p]) || (buf[p] >= '0' && buf[p] <= '9'))) {
            p++;
        }
        String name = content.substring(nameStart, p).toLowerCase(Locale.ROOT);
        while (p < contentEnd && Chars.isSpace(buf[p])) {
            p++;
        }
        if (p >= contentEnd || buf[p] != '=') {
            return null;
        }
        p++;
        while (p < contentEnd && Chars.isSpace(buf[p])) {
            p++;
        }
        int valueEnd = contentEnd;
        while (valueEnd > p && Chars.isSpace(buf[valueEnd - 1])) {
            valueEnd--;
        }
        if (valueEnd == p) {
            return null;
        }
        if (!name.equals("escape") && !name.equals("syntax") && !name.equals("check")) {
            return null;
        }
        return new ParserDirective(lineNumber, content.substring(start, end), name, content.substring(p, valueEnd));
    }

    private static char escapeToken(String value, int line) throws DockerfileException {
        if (!value.equals("`") && !value.equals("\\")) {
            throw new DockerfileException(line, "invalid escape token '" + value + "' does not match ` or \\",
                    "write # escape=` or # escape=\\");
        }
        return value.charAt(0);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** End of the line's content: before its {@code \n} or {@code \r\n}. */
    private int contentEnd(int start, int end) {
        int e = end;
        if (e > start && buf[e - 1] == '\n') {
            e--;
            if (e > start && buf[e - 1] == '\r') {
                e--;
            }
        }
        return e;
    }

    private void indexLines() {
        int count = 0;
        int pos = 0;
        while (pos < n) {
            if (count + 2 > lineStarts.length) {
                lineStarts = java.util.Arrays.copyOf(lineStarts, lineStarts.length * 2);
            }
            lineStarts[count++] = pos;
            int nl = LogicalLine.indexOfNewline(buf, pos, n);
            pos = nl < n ? nl + 1 : n;
        }
        if (count + 1 > lineStarts.length) {
            lineStarts = java.util.Arrays.copyOf(lineStarts, count + 1);
        }
        lineStarts[count] = n;
        lineCount = count;
    }
}
