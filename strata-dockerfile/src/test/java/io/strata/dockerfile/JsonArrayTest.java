package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strata.dockerfile.Arguments.ExecForm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON tables of BuildKit's {@code frontend/dockerfile/parser/json_test.go} (Apache-2.0, commit in
 * {@code buildkit/SOURCE.md}), run through {@code CMD}: valid arrays of strings are the exec form, arrays
 * holding anything else fail the parse.
 */
class JsonArrayTest {
    private static final Map<String, List<String>> VALID = Map.of(
            "[]", List.of(),
            "[\"\"]", List.of(""),
            "[\"a\"]", List.of("a"),
            "[\"a\",\"b\"]", List.of("a", "b"),
            "[ \"a\", \"b\" ]", List.of("a", "b"),
            "[\t\"a\",\t\"b\"\t]", List.of("a", "b"),
            "\t[\t\"a\",\t\"b\"\t]\t", List.of("a", "b"),
            "[\"abc 123\", \"\u2665\", \"\u2603\", \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000\"]",
            List.of("abc 123", "\u2665", "\u2603", "\" \\ / \b \f \n \r \t \u0000"));

    private static final List<String> NOT_STRINGS = List.of("[\"a\",42,\"b\"]", "[\"a\",123.456,\"b\"]",
            "[\"a\",{},\"b\"]", "[\"a\",{\"c\": \"d\"},\"b\"]", "[\"a\",[\"c\"],\"b\"]", "[\"a\",true,\"b\"]",
            "[\"a\",false,\"b\"]", "[\"a\",null,\"b\"]");

    @Test
    void validArraysOfStringsAreTheExecForm() throws DockerfileException {
        for (var entry : VALID.entrySet()) {
            Instruction cmd = Dockerfile.parse("FROM a\nCMD " + entry.getKey() + "\n").instructions().get(1);
            assertThat(cmd.arguments()).as(entry.getKey()).isEqualTo(new ExecForm(entry.getValue()));
        }
    }

    @Test
    void arraysOfAnythingElseFailTheParse() {
        for (String json : NOT_STRINGS) {
            DockerfileException e = catchThrowableOfType(DockerfileException.class,
                    () -> Dockerfile.parse("FROM a\nCMD " + json + "\n"));
            assertThat(e).as(json).isNotNull();
            assertThat(e.line()).isEqualTo(2);
        }
    }
}
