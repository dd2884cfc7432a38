package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShellLexerTest {
    private static final Map<String, String> ENV = Map.of("V", "value", "EMPTY", "", "P", "dir/sub/file.tar.gz",
            "SP", "a b");

    static Stream<Arguments> words() {
        return Stream.of(
                Arguments.of("$V", "value"),
                Arguments.of("${V}", "value"),
                Arguments.of("pre${V}post", "prevaluepost"),
                Arguments.of("$UNSET", ""),
                Arguments.of("${UNSET:-fallback}", "fallback"),
                Arguments.of("${EMPTY:-fallback}", "fallback"),
                Arguments.of("${EMPTY-fallback}", ""),
                Arguments.of("${UNSET-fallback}", "fallback"),
                Arguments.of("${V:-fallback}", "value"),
                Arguments.of("${V:+alt}", "alt"),
                Arguments.of("${EMPTY:+alt}", ""),
                Arguments.of("${EMPTY+alt}", "alt"),
                Arguments.of("${UNSET+alt}", ""),
                Arguments.of("${UNSET:-$V}", "value"),
                Arguments.of("${UNSET:-\"quoted word\"}", "quoted word"),
                Arguments.of("\\$V", "$V"),
                Arguments.of("'$V'", "$V"),
                Arguments.of("\"$V\"", "value"),
                Arguments.of("\"\\$V\"", "$V"),
                Arguments.of("\"a\\b\"", "a\\b"),
                Arguments.of("\"a\\\"b\"", "a\"b"),
                Arguments.of("'a\\b'", "a\\b"),
                Arguments.of("a\\ b", "a b"),
                Arguments.of("trailing\\", "trailing"),
                Arguments.of("$", "$"),
                Arguments.of("$1x", "x"),
                Arguments.of("100$", "100$"),
                Arguments.of("${P#*/}", "sub/file.tar.gz"),
                Arguments.of("${P##*/}", "file.tar.gz"),
                Arguments.of("${P%.*}", "dir/sub/file.tar"),
                Arguments.of("${P%%.*}", "dir/sub/file"),
                Arguments.of("${P/sub/SUB}", "dir/SUB/file.tar.gz"),
                Arguments.of("${P//\\//_}", "dir_sub_file.tar.gz"),
                Arguments.of("${V?}", "value"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("words")
    void expandsLikeDocker(String word, String expected) throws DockerfileException {
        assertThat(ShellLexer.expanding('\\').processWord(word, ENV, 1)).isEqualTo(expected);
    }

    @Test
    void dequotingLeavesVariablesAlone() throws DockerfileException {
        assertThat(ShellLexer.dequoting('\\').processWord("\"${V}\" '$V' \\$V", ENV, 1)).isEqualTo("${V} $V $V");
    }

    @Test
    void splitsWordsButNotInsideQuotes() throws DockerfileException {
        assertThat(ShellLexer.expanding('\\').processWords("a \"b c\" $SP 'd e'f", ENV, 1))
                .containsExactly("a", "b c", "a", "b", "d ef");
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("${UNSET:?must be set}", "UNSET: must be set"),
                Arguments.of("${UNSET?}", "UNSET: is not allowed to be unset"),
                Arguments.of("${EMPTY:?}", "EMPTY: is not allowed to be empty"),
                Arguments.of("${V", "syntax error: missing '}'"),
                Arguments.of("${V:-x", "syntax error: missing '}'"),
                Arguments.of("${}", "syntax error: bad substitution"),
                Arguments.of("${P/x", "syntax error: missing '/' in ${}"),
                Arguments.of("${V!}", "unsupported modifier (!) in substitution"),
                Arguments.of("'open", "unexpected end of statement while looking for matching single-quote"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String word, String message) {
        DockerfileException e = catchThrowableOfType(DockerfileException.class,
                () -> ShellLexer.expanding('\\').processWord(word, ENV, 7));

        assertThat(e).hasMessage(message);
        assertThat(e.line()).isEqualTo(7);
    }

    @Test
    void backtickEscape() throws DockerfileException {
        assertThat(ShellLexer.expanding('`').processWords("c:\\dir `$V \"a`\"b\"", ENV, 1))
                .isEqualTo(List.of("c:\\dir", "$V", "a\"b"));
    }
}
