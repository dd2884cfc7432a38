package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeredocTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("RUN <<EOF\necho hi\nEOF\n",
                        List.of(new Heredoc("EOF", "echo hi\n", false, true, 0))),
                Arguments.of("COPY <<EOF /dst\nfile body\n  EOF not yet\nEOF\n",
                        List.of(new Heredoc("EOF", "file body\n  EOF not yet\n", false, true, 0))),
                Arguments.of("RUN <<-EOT\n\t\techo tabs\n\tEOT\n",
                        List.of(new Heredoc("EOT", "echo tabs\n", true, true, 0))),
                Arguments.of("RUN <<'EOF'\necho $HOME\nEOF\n",
                        List.of(new Heredoc("EOF", "echo $HOME\n", false, false, 0))),
                Arguments.of("RUN <<\"EOF\"\nx\nEOF\n",
                        List.of(new Heredoc("EOF", "x\n", false, false, 0))),
                Arguments.of("RUN python3 <<PY && sh <<SH\nprint(1)\nPY\necho 2\nSH\n",
                        List.of(new Heredoc("PY", "print(1)\n", false, true, 0),
                                new Heredoc("SH", "echo 2\n", false, true, 0))),
                Arguments.of("RUN cat 3<<IN\nx\nIN\n", List.of(new Heredoc("IN", "x\n", false, true, 3))),
                Arguments.of("RUN <<EOF\r\nwin\r\nEOF\r\n", List.of(new Heredoc("EOF", "win\r\n", false, true, 0))),
                Arguments.of("ONBUILD RUN <<EOF\nlate\nEOF\n", List.of(new Heredoc("EOF", "late\n", false, true, 0))),
                Arguments.of("RUN [\"sh\", \"-c\", \"cat <<EOF\"]\n", List.of()),
                Arguments.of("RUN echo \"<<EOF\"\n", List.of()),
                Arguments.of("ENV A=<<EOF\n", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsHeredocs(String instruction, List<Heredoc> expected) throws DockerfileException {
        String input = "FROM a\n" + instruction + "USER me\n";
        Dockerfile d = Dockerfile.parse(input);

        assertThat(d.instructions().get(1).heredocs()).isEqualTo(expected);
        assertThat(d.instructions().get(2).keyword()).isEqualTo("USER");
        assertThat(d.content()).isEqualTo(input);
    }
}
