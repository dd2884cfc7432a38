package io.strata.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class IniParserTest {

    private static Map<String, String> values(String text, String section) throws ConfigException {
        IniDocument doc = IniParser.parse("t.conf", text);
        Map<String, String> values = new java.util.LinkedHashMap<>();
        doc.section(section).orElseThrow().entries().values().forEach(e -> values.put(e.key(), e.value()));
        return values;
    }

    static Stream<Arguments> configparserRules() {
        return Stream.of(
                Arguments.of("equals and colon", "[s]\na = 1\nb: 2\n", Map.of("a", "1", "b", "2")),
                Arguments.of("keys are lower-cased", "[s]\nRegistry_URI = x\n", Map.of("registry_uri", "x")),
                Arguments.of("values kept as written, outer spaces stripped", "[s]\nvendor =   Red Hat, Inc.  \n",
                        Map.of("vendor", "Red Hat, Inc.")),
                Arguments.of("no inline comments", "[s]\na = 1 # not a comment\n", Map.of("a", "1 # not a comment")),
                Arguments.of("full-line comments", "[s]\n# hash\n; semicolon\n  # indented\na = 1\n", Map.of("a", "1")),
                Arguments.of("continuation lines joined with newlines", "[s]\na = one,\n  two,\n    three\nb = 2\n",
                        Map.of("a", "one,\ntwo,\nthree", "b", "2")),
                Arguments.of("blank line inside a continued value", "[s]\na = one\n\n  two\n", Map.of("a", "one\n\ntwo")),
                Arguments.of("empty value", "[s]\na =\n", Map.of("a", "")),
                Arguments.of("first separator wins", "[s]\nurl = https://h:8443/\nb: c=d\n",
                        Map.of("url", "https://h:8443/", "b", "c=d")),
                Arguments.of("CRLF line ends", "[s]\r\na = 1\r\n", Map.of("a", "1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configparserRules")
    void readsValuesAsConfigparserDoes(String rule, String text, Map<String, String> expected) throws Exception {
        assertThat(values(text, "s")).isEqualTo(expected);
    }

    @Test
    void keepsSectionsAndLines() throws Exception {
        IniDocument doc = IniParser.parse("t.conf", "# top\n[general]\nverbose = 1\n\n[platform:x86_64]\narchitecture = amd64\n");

        assertThat(doc.sections()).extracting(IniDocument.Section::name).containsExactly("general", "platform:x86_64");
        assertThat(doc.section("platform:x86_64").orElseThrow().entry("architecture").orElseThrow().line()).isEqualTo(6);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String text = """
                orphan = 1
                [default]
                a = 1
                A = 2
                just words
                [default]
                [broken
                = value
                """;

        assertThatThrownBy(() -> IniParser.parse("osbs.conf", text))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).map(ConfigProblem::describe)
                        .isEqualTo(List.of(
                                "osbs.conf:1: 'orphan' is outside any section (fix: put a section header such as [default] "
                                        + "or [general] above it)",
                                "osbs.conf:4: key 'a' appears again in [default] (first at line 3) (fix: keep one 'a' line in [default])",
                                "osbs.conf:5: 'just words' is not a key = value line (fix: write key = value (or key: value); "
                                        + "start a comment with # or ;)",
                                "osbs.conf:6: section [default] appears again (first at line 2) (fix: merge the two [default] "
                                        + "sections into one)",
                                "osbs.conf:7: malformed section header '[broken' (fix: write the header alone on its line, "
                                        + "e.g. [default] or [platform:x86_64])",
                                "osbs.conf:8: a value without a key: '= value' (fix: put the key name before the '=')")));
    }
}
