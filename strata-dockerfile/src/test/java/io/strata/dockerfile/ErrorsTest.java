package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input BuildKit rejects, split where BuildKit splits it: what its parser rejects fails
 * {@code Dockerfile.parse}; what only its build refuses parses, is listed by {@code problems()} and fails
 * {@code requireBuildable()} and {@code buildStages()}, each with the line, a reason code and a hint.
 */
class ErrorsTest {

    static Stream<Arguments> parseErrors() {
        return Stream.of(
                Arguments.of("", 1, "file with no instructions"),
                Arguments.of("# only a comment\n\n", 2, "file with no instructions"),
                Arguments.of("FROM a\n\nENV KEY\n", 3, "ENV must have two arguments: a key and a value"),
                Arguments.of("FROM a\nLABEL KEY\n", 2, "LABEL must have two arguments: a key and a value"),
                Arguments.of("FROM a\nENV A=1 B\n", 2,
                        "Syntax error - can't find = in \"B\". Must be of the form: name=value"),
                Arguments.of("FROM a\nRUN <<EOF\necho\n", 2, "unterminated heredoc <<EOF"),
                Arguments.of("FROM a\nCMD [\"a\", 1]\n", 2,
                        "when using JSON array syntax, arrays must be comprised of strings only"),
                Arguments.of("FROM a\nRUN [\"a\", [\"b\"]]\n", 2,
                        "when using JSON array syntax, arrays must be comprised of strings only"),
                Arguments.of("FROM a\nONBUILD COPY [1]\n", 2,
                        "when using JSON array syntax, arrays must be comprised of strings only"),
                Arguments.of("# escape=x\nFROM a\n", 1, "invalid escape token 'x' does not match ` or \\"),
                Arguments.of("# escape=`\n# escape=\\\nFROM a\n", 2, "only one escape parser directive can be used"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("parseErrors")
    void parserRejectsWithLine(String input, int line, String message) {
        DockerfileException e = catchThrowableOfType(DockerfileException.class, () -> Dockerfile.parse(input));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.code()).isEqualTo(DockerfileException.SYNTAX);
        assertThat(e.hint()).isNotBlank();
    }

    static Stream<Arguments> buildProblems() {
        return Stream.of(
                Arguments.of("FROM a\nENV\n", 2, "ENV requires at least one argument", "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nENV =x\n", 2, "ENV names can not be blank", "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nFROOM b\n", 2, "unknown instruction: FROOM", "DOCKERFILE_UNKNOWN_INSTRUCTION"),
                Arguments.of("FROM a\nAPT-GET install x\n", 2, "unknown instruction: APT-GET",
                        "DOCKERFILE_UNKNOWN_INSTRUCTION"),
                Arguments.of("RUN x\nFROM a\n", 1,
                        "no build stage in current context: RUN comes before the first FROM", "DOCKERFILE_NO_STAGE"),
                Arguments.of("CMD [\"x\"]\n", 1,
                        "no build stage in current context: CMD comes before the first FROM", "DOCKERFILE_NO_STAGE"),
                Arguments.of("ARG A=1\n", 1, "the Dockerfile has no FROM, so no build stage", "DOCKERFILE_NO_STAGE"),
                Arguments.of("FROM\n", 1, "FROM requires either one or three arguments", "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a b\n", 1, "FROM requires either one or three arguments", "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a AS 1st\n", 1,
                        "invalid name for build stage: \"1st\", name can't start with a number or contain symbols",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nCOPY onlyone\n", 2,
                        "COPY requires at least two arguments, but only one was provided. Destination could not be determined.",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nSHELL /bin/sh -c\n", 2, "SHELL requires the arguments to be in JSON form",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nHEALTHCHECK\n", 2, "HEALTHCHECK requires at least one argument",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nHEALTHCHECK NONE x\n", 2, "HEALTHCHECK NONE takes no arguments",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nHEALTHCHECK PING x\n", 2, "Unknown type \"PING\" in HEALTHCHECK (try CMD)",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nONBUILD ONBUILD RUN x\n", 2,
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nONBUILD FROM b\n", 2, "FROM isn't allowed as an ONBUILD trigger",
                        "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nLABEL a=\"open\n", 2,
                        "unexpected end of statement while looking for matching double-quote",
                        "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("FROM a\nENV name='a\\'b'\n", 2,
                        "unexpected end of statement while looking for matching single-quote",
                        "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("FROM a\nENV a=${b\n", 2, "syntax error: missing '}'", "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("FROM a\nENV a=${:b}\n", 2, "syntax error: bad substitution", "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("FROM a\nENV a=${}\n", 2, "syntax error: bad substitution", "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("ARG V\nFROM img:${V\n", 2, "syntax error: missing '}'", "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("ARG V=\"x\nFROM img\n", 1,
                        "unexpected end of statement while looking for matching double-quote", "DOCKERFILE_BAD_SUBSTITUTION"),
                Arguments.of("FROM a\nWORKDIR\n", 2, "WORKDIR requires exactly one argument", "DOCKERFILE_BAD_ARGUMENTS"),
                Arguments.of("FROM a\nARG\n", 2, "ARG requires at least one argument", "DOCKERFILE_BAD_ARGUMENTS"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("buildProblems")
    void buildRefusesWhatTheParserKeeps(String input, int line, String message, String code) throws DockerfileException {
        Dockerfile d = Dockerfile.parse(input);

        assertThat(d.content()).isEqualTo(input);
        assertThat(d.problems()).first().isEqualTo(new Problem(line, code, message, d.problems().get(0).hint()));
        assertThat(d.problems().get(0).hint()).isNotBlank();
        DockerfileException e = catchThrowableOfType(DockerfileException.class, d::requireBuildable);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.code()).isEqualTo(code);
        assertThat(catchThrowableOfType(DockerfileException.class, () -> d.buildStages(Map.of())))
                .hasMessage(message);
    }

    @Test
    void aBuildableFileHasNoProblems() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("ARG V=1\nFROM a:$V AS b\nRUN x\nONBUILD APT-GET y\n");

        assertThat(d.problems()).isEmpty();
        d.requireBuildable();
        assertThat(d.buildStages(Map.of("V", "2"))).extracting(Stage::image).containsExactly("a:2");
    }

    @Test
    void whatIssueEightFoundRefusedNowParses() throws DockerfileException {
        // From BuildKit's own env testfile: 'a\' then b then '' is a\b.
        assertThat(Dockerfile.parse("FROM a\nENV name='a\\'b''\n").envs()).containsEntry("name", "a\\b");
        assertThat(Dockerfile.parse("FROM a\nENV name='a\\'b''\n").problems()).isEmpty();
        assertThat(Dockerfile.parse("LABEL a=b\n").labels()).containsEntry("a", "b");
        assertThat(Dockerfile.parse("CMD [\"x\"]\nFROM a\n").instructions()).hasSize(2);
        assertThat(Dockerfile.parse("FROM a\nAPT-GET install x\n").instructions().get(1).arguments())
                .isEqualTo(new io.strata.dockerfile.Arguments.Unparsed("install x"));
        assertThat(Dockerfile.parse("FROM a\nHEALTHCHECK\n").instructions()).hasSize(2);
        assertThat(Dockerfile.parse("FROM\n").stages()).isEmpty();
    }

    @Test
    void quotedKeyValueWordIsSplitAtItsFirstEqualsAsBuildKitDoes() throws DockerfileException {
        // dockerfile-parse answers {a: b}; BuildKit splits the word "a=b" (quotes kept) into "a and b".
        Dockerfile d = Dockerfile.parse("FROM a\nLABEL \"a=b\"\n");

        assertThat(d.problems()).extracting(Problem::line, Problem::code, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "DOCKERFILE_BAD_SUBSTITUTION",
                        "unexpected end of statement while looking for matching double-quote"));
        assertThat(d.labels()).containsExactly(Map.entry("\"a", "b\""));
    }

    @Test
    void theFirstProblemIsTheOneTheBuildReports() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("LABEL a=b\nFROM x\nFROOM y\nCOPY z\n");

        assertThat(d.problems()).extracting(Problem::line).containsExactly(1, 3, 4);
        assertThat(catchThrowableOfType(DockerfileException.class, d::requireBuildable).line()).isEqualTo(1);
    }
}
