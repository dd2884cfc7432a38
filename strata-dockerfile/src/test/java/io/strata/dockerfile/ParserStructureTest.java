package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Instruction boundaries, keywords and values; and that printing gives back the input byte for byte. */
class ParserStructureTest {

    /** keyword:startLine-endLine:value for each instruction. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("plain", "FROM fedora\nRUN echo hi\n",
                        List.of("FROM:1-1:fedora", "RUN:2-2:echo hi")),
                Arguments.of("no trailing newline", "FROM a\nUSER  no-newline",
                        List.of("FROM:1-1:a", "USER:2-2:no-newline")),
                Arguments.of("CRLF", "FROM a\r\nRUN x \\\r\n  y\r\n",
                        List.of("FROM:1-1:a", "RUN:2-3:x   y")),
                Arguments.of("lower-case keyword and leading blanks", "  from a\n\tlabel  foo  \\\n    bar  \n",
                        List.of("FROM:1-1:a", "LABEL:2-3:foo      bar")),
                Arguments.of("comment and empty line inside continuation",
                        "FROM a\nRUN one \\\n# inside\n\n    two\nCMD x\n",
                        List.of("FROM:1-1:a", "RUN:2-5:one     two", "CMD:6-6:x")),
                Arguments.of("indented comment inside continuation", "FROM a\nRUN a \\\n   # c\n b\n",
                        List.of("FROM:1-1:a", "RUN:2-4:a  b")),
                Arguments.of("continuation with blanks after the backslash", "FROM a\nRUN a \\  \t\nb\n",
                        List.of("FROM:1-1:a", "RUN:2-3:a b")),
                Arguments.of("continuation at end of file", "FROM a\nRUN a \\\n",
                        List.of("FROM:1-1:a", "RUN:2-2:a")),
                Arguments.of("unicode and tabs", "FROM a\nLABEL name=\"caf\u00e9 \u2615\"\tx=\u00fc\n",
                        List.of("FROM:1-1:a", "LABEL:2-2:name=\"caf\u00e9 \u2615\"\tx=\u00fc")),
                Arguments.of("byte order mark", "\uFEFFFROM a\n", List.of("FROM:1-1:a")),
                Arguments.of("flags stay in the value", "FROM a\nCOPY --from=b --chown=1:1 /x /y\n",
                        List.of("FROM:1-1:a", "COPY:2-2:--from=b --chown=1:1 /x /y")),
                Arguments.of("heredoc spans its body", "FROM a\nRUN <<EOF\necho 1\nEOF\nUSER x\n",
                        List.of("FROM:1-1:a", "RUN:2-4:<<EOF", "USER:5-5:x")),
                Arguments.of("two heredocs", "FROM a\nRUN <<A cat - && cat <<-B\na\nA\n\tb\n\tB\n",
                        List.of("FROM:1-1:a", "RUN:2-6:<<A cat - && cat <<-B")),
                Arguments.of("ONBUILD", "FROM a\nONBUILD RUN make\n", List.of("FROM:1-1:a", "ONBUILD:2-2:RUN make")),
                Arguments.of("hash inside an instruction is not a comment", "FROM a\nRUN echo # not a comment\n",
                        List.of("FROM:1-1:a", "RUN:2-2:echo # not a comment")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesInstructions(String name, String input, List<String> expected) throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse(input);

        List<String> actual = dockerfile.instructions().stream()
                .map(i -> i.keyword() + ":" + i.startLine() + "-" + i.endLine() + ":" + i.value())
                .toList();
        assertThat(actual).isEqualTo(expected);
        assertThat(dockerfile.content()).isEqualTo(input);
        StringBuilder printed = new StringBuilder();
        dockerfile.nodes().forEach(n -> printed.append(n.text()));
        assertThat(printed.toString()).isEqualTo(input);
    }

    /** Node kinds in order: D directive, C comment, B blank, I instruction. */
    static Stream<Arguments> nodeCases() {
        return Stream.of(
                Arguments.of("# syntax=docker/dockerfile:1\n# escape=`\n\n# hello\nFROM a\n", "DDBCI"),
                Arguments.of("# hello\n# escape=`\nFROM a\n", "CCI"),
                Arguments.of("\n# escape=`\nFROM a\n", "BCI"),
                Arguments.of("FROM a\n# escape=`\n", "IC"),
                Arguments.of("  # ESCAPE = ` \nFROM a\n", "DI"),
                Arguments.of("# unknown=x\n# escape=`\nFROM a\n", "CCI"),
                Arguments.of("#check=skip=all\nFROM a\n   \n", "DIB"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeCases")
    void keepsCommentsBlankLinesAndDirectives(String input, String kinds) throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse(input);

        StringBuilder actual = new StringBuilder();
        for (Node node : dockerfile.nodes()) {
            actual.append(switch (node) {
                case ParserDirective d -> 'D';
                case Comment c -> 'C';
                case BlankLine b -> 'B';
                case Instruction i -> 'I';
            });
        }
        assertThat(actual.toString()).isEqualTo(kinds);
        assertThat(dockerfile.content()).isEqualTo(input);
    }
}
