package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BuildKit's {@code TestParseExtractsHeredoc} and {@code TestParseJSONHeredoc}
 * ({@code frontend/dockerfile/parser/parser_heredoc_test.go}, Apache-2.0, commit in
 * {@code buildkit/SOURCE.md}): its input is {@code buildkit/parser/heredoc/Dockerfile}, its expected
 * heredocs are the table below. One difference of representation: BuildKit keeps the leading tabs of a
 * {@code <<-} body in {@code Content} and strips them later, this library strips them at parse time, so
 * those rows give the body without the tabs.
 */
class BuildKitHeredocTest {

    private static Heredoc doc(String name, String content, boolean expand) {
        return new Heredoc(name, content, false, expand, 0);
    }

    private static Heredoc chomped(String name, String content, boolean expand) {
        return new Heredoc(name, content, true, expand, 0);
    }

    /** One entry per instruction after FROM, as in BuildKit's table. */
    private static final List<List<Heredoc>> EXPECTED = List.of(
            List.of(), // ENV NAME=me
            List.of(), // RUN ls
            List.of(), // USER <<INVALID: only RUN, COPY and ADD take heredocs
            List.of(), // INVALID: an (unknown) instruction of its own
            List.of(doc("EMPTY", "", true)),
            List.of(new Heredoc("EMPTY2", "", false, true, 3)),
            List.of(), // RUN "<<NOHEREDOC"
            List.of(doc("INDENT", "\tfoo\n\tbar\n", true)),
            List.of(chomped("UNINDENT", "baz\nquux\n", true)),
            List.of(chomped("UNINDENT2", "baz\nquux\n", true)),
            List.of(chomped("EXPAND", "expand $NAME\n", true)),
            List.of(chomped("NOEXPAND", "don't expand $NAME\n", false)),
            List.of(doc("COPY", "echo hello world\necho foo bar\n", true)),
            List.of(doc("COMMENT", "# internal comment\necho hello world\necho foo bar # trailing comment\n", true)),
            List.of(doc("MOUNT", "echo hello\n", true)),
            List.of(doc("FILE1", "content 1\n", true), doc("FILE2", "content 2\n", true)),
            List.of(doc("EOF", "\"foo\"\n'bar'\n", true)),
            List.of(doc("X", "Y\n", true), doc("Y", "X\n", true)),
            List.of(doc("COMPLEX", "print('hello world')\n", true)),
            List.of(doc("file.txt", "hello world\n", true)),
            List.of(doc("eof", "echo foo\n", false)),
            List.of(doc("eo'f", "echo foo\n", true)),
            List.of(doc("eo'f", "echo foo\n", false)),
            List.of(doc("one two", "echo bar\n", false)),
            List.of(doc("$EOF", "", true)),
            List.of(doc("EOF", "", true)), // RUN <<  EOF: blanks after << are allowed
            List.of(doc("EOF", "", true))); // RUN <<  EOF  > foo

    @Test
    void extractsHeredocsAsBuildKit() throws IOException, DockerfileException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/buildkit/parser/heredoc/Dockerfile")) {
            bytes = in.readAllBytes();
        }
        Dockerfile d = Dockerfile.parse(bytes);

        assertThat(d.content()).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        List<Instruction> instructions = d.instructions();
        assertThat(instructions).hasSize(EXPECTED.size() + 1);
        for (int i = 0; i < EXPECTED.size(); i++) {
            Instruction instruction = instructions.get(i + 1);
            assertThat(instruction.heredocs()).as("line %d: %s", instruction.startLine(), instruction.value())
                    .isEqualTo(EXPECTED.get(i));
        }
    }

    @Test
    void jsonFormTakesNoHeredocs() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("\nFROM alpine:3.6\n\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t");

        assertThat(d.instructions()).hasSize(4);
        assertThat(d.instructions()).allSatisfy(i -> assertThat(i.heredocs()).isEmpty());
    }

    @Test
    void blanksAfterTheOperatorKeepTheDelimiterInOneWord() throws DockerfileException {
        assertThat(Dockerfile.parse("FROM a\nRUN << -EOF\n-EOF\n").instructions().get(1).heredocs())
                .containsExactly(doc("-EOF", "", true));
        assertThat(ShellLexer.dequoting('\\').processWords("cat <<  EOF x", java.util.Map.of(), 1))
                .containsExactly("cat", "<<  EOF", "x");
    }
}
