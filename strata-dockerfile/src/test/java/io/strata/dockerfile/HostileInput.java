package io.strata.dockerfile;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A seeded generator of hostile Dockerfiles: deep continuations, unterminated heredocs and quotes, huge
 * lines, invalid UTF-8, directive soup, deep {@code ${...}} and JSON nesting, and random splices of
 * instruction fragments. The same seed gives the same inputs, so a failure can be replayed.
 */
final class HostileInput {
    private static final String[] FRAGMENTS = {
        "FROM ", "from ", "ARG ", "ENV ", "LABEL ", "RUN ", "CMD ", "COPY ", "ADD ", "HEALTHCHECK ", "ONBUILD ",
        "SHELL ", "EXPOSE ", "USER ", "WORKDIR ", "VOLUME ", "STOPSIGNAL ", "MAINTAINER ", "APT-GET ", "AS ", " as ",
        "# escape=`", "# escape=\\", "# syntax=x", "# check=skip=all", "#", "\\", "`", "\\\\", "'", "\"", "$", "${",
        "}", "${A:-", "${A:?", "${A/", "${A#", "${A%%", ":", "=", "==", "[", "]", "[\"a\"", ",", "{", "<<EOF",
        "<<-EOF", "<<'EOF'", "3<<EOF", "EOF", "\tEOF", "--platform=$P ", "--mount=type=cache ", "--", " ", "\t",
        "\n", "\r\n", "\r", "\u000B", "\u00A0", "\uFEFF", "\u2028", "é", "한", "\uD83D\uDE80", "a", "b=c", "x y",
        "$A", "$$", "$1", "${}", "NONE", "CMD"
    };

    private final Random random;

    HostileInput(long seed) {
        this.random = new Random(seed);
    }

    /** The next input as text, sized about {@code scale} characters for the large families. */
    String nextText(int scale) {
        return switch (random.nextInt(9)) {
            case 0 -> "FROM a\nRUN x" + "\\\n".repeat(scale / 2) + "y\n";
            case 1 -> "FROM a\nRUN <<EOF\n" + "line\n".repeat(scale / 5);
            case 2 -> "FROM a\nENV a=\"" + "x".repeat(scale) + "\n";
            case 3 -> "FROM a\nLABEL " + "k=v ".repeat(scale / 4) + "\n";
            case 4 -> directiveSoup(scale / 10);
            case 5 -> "FROM a\nENV a=" + "${A:-".repeat(Math.min(scale, 100_000)) + "x" + "}".repeat(random.nextInt(3)) + "\n";
            case 6 -> "FROM a\nCMD " + "[".repeat(Math.min(scale, 100_000)) + "\n";
            case 7 -> "FROM a\n" + "RUN <<EOF <<-X 9<<'Y'\n".repeat(random.nextInt(4) + 1) + "EOF\n";
            default -> splice(1 + random.nextInt(Math.max(1, scale / 8)));
        };
    }

    /** The next input as bytes: text, often with invalid UTF-8 put in. */
    byte[] nextBytes(int scale) {
        byte[] bytes = nextText(scale).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextBoolean()) {
            int at = random.nextInt(bytes.length);
            bytes[at] = (byte) (0x80 + random.nextInt(0x80));
        }
        return bytes;
    }

    private String directiveSoup(int lines) {
        StringBuilder out = new StringBuilder();
        String[] directives = {"# escape=`", "# escape=\\", "#syntax=a", "# check=x", "# ESCAPE = `", "# escape=",
            "#escape=x", "# unknown=1", ""};
        for (int i = 0; i < lines; i++) {
            out.append(directives[random.nextInt(directives.length)]).append('\n');
        }
        return out.append(splice(20)).toString();
    }

    private String splice(int pieces) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            out.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        return out.toString();
    }
}
