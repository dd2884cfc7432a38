package io.strata.dockerfile;

import io.strata.dockerfile.Arguments.ArgDeclarations;
import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.KeyValues;
import io.strata.dockerfile.Arguments.OnBuild;
import io.strata.dockerfile.Arguments.ShellForm;
import io.strata.dockerfile.Arguments.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a parsed Dockerfile in the s-expression form of BuildKit's {@code Node.Dump()}, the form of the
 * {@code result} files next to BuildKit's parser test files: {@code (keyword ["--flag" ...] "value" ...)}
 * per instruction, values quoted as Go's {@code strconv.Quote} does. Values come from this library's
 * typed arguments, so a match means the library split every instruction as BuildKit's parser does.
 */
final class BuildKitAstDump {
    private BuildKitAstDump() {}

    static String dump(Dockerfile dockerfile) {
        StringBuilder out = new StringBuilder();
        for (Instruction instruction : dockerfile.instructions()) {
            out.append('(').append(node(dockerfile.escapeCharacter(), instruction, keywordAsWritten(instruction.text())))
                    .append(")\n");
        }
        return out.toString();
    }

    private static String node(char escape, Instruction instruction, String keyword) {
        StringBuilder out = new StringBuilder(keyword.toLowerCase(Locale.ROOT));
        if (!instruction.flags().isEmpty()) {
            List<String> flags = new ArrayList<>();
            for (Flag flag : instruction.flags()) {
                flags.add(quote("--" + flag.name() + (flag.value() == null ? "" : "=" + flag.value())));
            }
            out.append(" [").append(String.join(" ", flags)).append(']');
        }
        if (instruction.arguments() instanceof OnBuild onBuild) {
            Instruction trigger = onBuild.trigger();
            String triggerKeyword = keywordAsWritten(instruction.value());
            out.append(" (").append(node(escape, trigger, triggerKeyword)).append(')');
            return out.toString();
        }
        for (String value : values(instruction, escape)) {
            out.append(' ').append(quote(value));
        }
        return out.toString();
    }

    /** The values BuildKit's line parser gives the instruction (its {@code Next} chain). */
    private static List<String> values(Instruction instruction, char escape) {
        String args = arguments(instruction);
        List<String> values = new ArrayList<>();
        if (instruction.keyword().equals("HEALTHCHECK")) {
            // BuildKit: the type word as written, then the rest read as a command (JSON or not).
            int sep = 0;
            while (sep < args.length() && !Chars.isSpace(args.charAt(sep))) {
                sep++;
            }
            if (sep > 0) {
                values.add(args.substring(0, sep));
                values.addAll(command(Chars.trim(args.substring(sep))));
            }
            return values;
        }
        switch (instruction.arguments()) {
            case KeyValues kv -> {
                for (KeyValue pair : kv.pairs()) {
                    values.add(pair.rawKey());
                    values.add(pair.rawValue());
                    values.add(kv.legacyForm() ? "" : "=");
                }
            }
            case ArgDeclarations ignored -> WordSplitter.quoteAware(args, 0, escape).forEach(w -> values.add(w.text()));
            case ExecForm exec -> values.addAll(exec.args());
            case ShellForm shell -> values.addAll(command(shell.command()));
            case Words words -> values.addAll(words.words());
            case Arguments.FromImage ignored -> WordSplitter.whitespace(args, 0).forEach(w -> values.add(w.text()));
            case Arguments.Text text -> {
                if (!text.text().isEmpty()) {
                    values.add(text.text());
                }
            }
            case Arguments.Unparsed unparsed -> {
                if (!instruction.keyword().equals("ONBUILD")) {
                    values.add(""); // BuildKit keeps an unknown instruction with one empty node
                }
            }
            case Arguments.HealthcheckNone none -> throw new IllegalStateException("handled above");
            case Arguments.HealthcheckCmd cmd -> throw new IllegalStateException("handled above");
            case OnBuild ignored -> throw new IllegalStateException("handled by the caller");
        }
        return values;
    }

    private static List<String> command(String text) {
        try {
            List<String> json = JsonArray.parse(text);
            if (json != null) {
                return json;
            }
        } catch (JsonArray.NotStrings e) {
            throw new IllegalStateException("the parser rejects this", e);
        }
        return text.isEmpty() ? List.of() : List.of(text);
    }

    /** The arguments after the keyword and flags, as the instruction parser saw them. */
    private static String arguments(Instruction instruction) {
        String text = instruction.keyword() + " " + instruction.value();
        return Chars.trim(text.substring(InstructionParser.layout(text).argsStart()));
    }

    private static String keywordAsWritten(String text) {
        int start = 0;
        while (start < text.length() && (Chars.isSpace(text.charAt(start)) || text.charAt(start) == '\uFEFF')) {
            start++;
        }
        int end = start;
        while (end < text.length() && !Chars.isBlank(text.charAt(end)) && text.charAt(end) != '\n') {
            end++;
        }
        return text.substring(start, end);
    }

    /** Go's {@code strconv.Quote} for printable text. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\u0007' -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\u000B' -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
