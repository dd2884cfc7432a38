package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input BuildKit rejects: the message and the line it names. */
class ErrorsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("", 1, "file with no instructions"),
                Arguments.of("# only a comment\n\n", 2, "file with no instructions"),
                Arguments.of("FROM a\nENV\n", 2, "ENV requires at least one argument"),
                Arguments.of("FROM a\n\nENV KEY\n", 3, "ENV names a key but no value"),
                Arguments.of("FROM a\nLABEL KEY\n", 2, "LABEL names a key but no value"),
                Arguments.of("FROM a\nENV A=1 B\n", 2,
                        "Syntax error - can't find = in \"B\". Must be of the form: name=value"),
                Arguments.of("FROM a\nENV =x\n", 2, "ENV names can not be blank"),
                Arguments.of("FROM a\nRUN <<EOF\necho\n", 2, "unterminated heredoc <<EOF"),
                Arguments.of("FROM a\nCMD [\"a\", 1]\n", 2,
                        "when using JSON array syntax, arrays must be comprised of strings only"),
                Arguments.of("FROM a\nRUN [\"a\", [\"b\"]]\n", 2,
                        "when using JSON array syntax, arrays must be comprised of strings only"),
                Arguments.of("FROM a\nFROOM b\n", 2, "unknown instruction: FROOM"),
                Arguments.of("RUN x\nFROM a\n", 1,
                        "no build stage in current context: RUN comes before the first FROM"),
                Arguments.of("ARG A=1\n", 1, "the Dockerfile has no FROM, so no build stage"),
                Arguments.of("FROM\n", 1, "FROM requires either one or three arguments"),
                Arguments.of("FROM a b\n", 1, "FROM requires either one or three arguments"),
                Arguments.of("FROM a AS 1st\n", 1,
                        "invalid name for build stage: \"1st\", name can't start with a number or contain symbols"),
                Arguments.of("FROM a\nCOPY onlyone\n", 2,
                        "COPY requires at least two arguments, but only one was provided. Destination could not be determined."),
                Arguments.of("FROM a\nSHELL /bin/sh -c\n", 2, "SHELL requires the arguments to be in JSON form"),
                Arguments.of("FROM a\nHEALTHCHECK NONE x\n", 2, "HEALTHCHECK NONE takes no arguments"),
                Arguments.of("FROM a\nHEALTHCHECK PING x\n", 2, "Unknown type \"PING\" in HEALTHCHECK (try CMD)"),
                Arguments.of("FROM a\nONBUILD ONBUILD RUN x\n", 2, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
                Arguments.of("FROM a\nONBUILD FROM b\n", 2, "FROM isn't allowed as an ONBUILD trigger"),
                Arguments.of("# escape=x\nFROM a\n", 1, "invalid escape token 'x' does not match ` or \\"),
                Arguments.of("# escape=`\n# escape=\\\nFROM a\n", 2, "only one escape parser directive can be used"),
                Arguments.of("FROM a\nLABEL a=\"open\n", 2,
                        "unexpected end of statement while looking for matching double-quote"),
                Arguments.of("FROM a\nENV a=${b\n", 2, "syntax error: missing '}'"),
                Arguments.of("FROM a\nENV a=${:b}\n", 2, "syntax error: bad substitution"),
                Arguments.of("FROM a\nWORKDIR\n", 2, "WORKDIR requires exactly one argument"),
                Arguments.of("FROM a\nARG\n", 2, "ARG requires at least one argument"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("cases")
    void rejectsWithLine(String input, int line, String message) {
        DockerfileException e = catchThrowableOfType(DockerfileException.class, () -> Dockerfile.parse(input));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.hint()).isNotBlank();
    }
}
