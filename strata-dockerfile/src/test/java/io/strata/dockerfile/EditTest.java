package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each edit with its input and the exact text it must produce. */
class EditTest {

    record Case(String name, String input, UnaryOperator<Dockerfile> edit, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static java.util.Map<String, String> linked(String... keysAndValues) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("change a label in place, keeping its neighbours", """
                        FROM a
                        LABEL one=1 \\
                              two="2"   three=3
                        RUN x
                        """, d -> d.withLabel("two", "zwei"), """
                        FROM a
                        LABEL one=1 \\
                              two="zwei"   three=3
                        RUN x
                        """),
                new Case("several labels: standing ones in place, new ones together on one LABEL line",
                        "FROM a\nLABEL name=old\nRUN x\n",
                        d -> d.withLabelsSet(new java.util.LinkedHashMap<>(java.util.Map.of("name", "new"))).withLabelsSet(
                                linked("release", "1", "vcs-url", "https://h/r x", "name", "new")),
                        "FROM a\nLABEL name=new\nRUN x\nLABEL release=1 vcs-url=\"https://h/r x\"\n"),
                new Case("several envs with nothing new change in place only", "FROM a\nENV A=1 B=2\n",
                        d -> d.withEnvsSet(linked("B", "3")), "FROM a\nENV A=1 B=3\n"),
                new Case("keep single quotes", "FROM a\nLABEL k='old value'\n", d -> d.withLabel("k", "new value"),
                        "FROM a\nLABEL k='new value'\n"),
                new Case("bare value that needs quotes gets double quotes", "FROM a\nLABEL k=old\n",
                        d -> d.withLabel("k", "has \"quotes\" and $dollar"),
                        "FROM a\nLABEL k=\"has \\\"quotes\\\" and \\$dollar\"\n"),
                new Case("legacy env form changes the value only", "FROM a\nENV PATH /usr/bin:/bin\n",
                        d -> d.withEnv("PATH", "/opt/bin:/usr/bin"), "FROM a\nENV PATH /opt/bin:/usr/bin\n"),
                new Case("new label appended after the last instruction of the last stage",
                        "FROM a\nRUN x\nFROM b\nRUN y\n\n# trailing comment\n", d -> d.withLabel("new.key", "v 1"),
                        "FROM a\nRUN x\nFROM b\nRUN y\nLABEL new.key=\"v 1\"\n\n# trailing comment\n"),
                new Case("new env when the file has no trailing newline", "FROM a", d -> d.withEnv("K", "v"),
                        "FROM a\nENV K=v\n"),
                new Case("label only in an earlier stage is added to the last", "FROM a AS x\nLABEL k=v\nFROM b\n",
                        d -> d.withLabel("k", "w"), "FROM a AS x\nLABEL k=v\nFROM b\nLABEL k=w\n"),
                new Case("CRLF file gets CRLF lines", "FROM a\r\nRUN x\r\n", d -> d.withLabel("k", "v"),
                        "FROM a\r\nRUN x\r\nLABEL k=v\r\n"),
                new Case("same value is no change", "FROM a\nLABEL k=\"v\"\n", d -> d.withLabel("k", "v"),
                        "FROM a\nLABEL k=\"v\"\n"),
                new Case("the effective (last) occurrence is changed", "FROM a\nLABEL k=1\nLABEL k=2\n",
                        d -> d.withLabel("k", "3"), "FROM a\nLABEL k=1\nLABEL k=3\n"),
                new Case("remove the first pair", "FROM a\nLABEL a=1 b=2\n", d -> d.withoutLabel("a"),
                        "FROM a\nLABEL b=2\n"),
                new Case("remove a middle pair across a continuation", "FROM a\nLABEL a=1 \\\n  b=2 \\\n  c=3\n",
                        d -> d.withoutLabel("b"), "FROM a\nLABEL a=1 \\\n  c=3\n"),
                new Case("remove the only pair deletes the instruction", "FROM a\nENV X=1\nRUN x\n",
                        d -> d.withoutEnv("X"), "FROM a\nRUN x\n"),
                new Case("remove every occurrence", "FROM a\nLABEL k=1 j=0\nRUN x\nLABEL k=2\n",
                        d -> d.withoutLabel("k"), "FROM a\nLABEL j=0\nRUN x\n"),
                new Case("remove an absent key is no change", "FROM a\nLABEL k=1\n", d -> d.withoutLabel("nope"),
                        "FROM a\nLABEL k=1\n"),
                new Case("set all labels", "FROM a\nLABEL keep=1 drop=2 change=3\n", d -> d.withLabels(ordered(
                        "keep", "1", "change", "three", "add", "4")), "FROM a\nLABEL keep=1 change=three\nLABEL add=4\n"),
                new Case("set all envs to nothing", "FROM a\nENV A=1\nENV B 2\n", d -> d.withEnvs(Map.of()),
                        "FROM a\n"),
                new Case("base image keeps flags and stage name", "FROM a\nFROM --platform=$P old:1 AS Final\n",
                        d -> d.withBaseImage("new:2"), "FROM a\nFROM --platform=$P new:2 AS Final\n"),
                new Case("base image behind a continuation", "FROM \\\n  old\nRUN x\n", d -> d.withBaseImage("new"),
                        "FROM \\\n  new\nRUN x\n"),
                new Case("parent images one per stage", "FROM a AS x\nFROM x\nFROM c\n",
                        d -> parents(d, "A", "x", "C"), "FROM A AS x\nFROM x\nFROM C\n"),
                new Case("parent images one per image-using stage", "FROM a AS x\nFROM x\nFROM c\n",
                        d -> parents(d, "A", "C"), "FROM A AS x\nFROM x\nFROM C\n"),
                new Case("unchanged parent keeps its variable", "ARG B=a\nFROM $B\nFROM c\n",
                        d -> parents(d, "a", "d"), "ARG B=a\nFROM $B\nFROM d\n"),
                new Case("lines at start go after parser directives", "# syntax=x\nFROM a\n",
                        d -> d.withLinesAtStart("ARG V=1"), "# syntax=x\nARG V=1\nFROM a\n"),
                new Case("lines at start keep a byte order mark first", "\uFEFFFROM a\n",
                        d -> d.withLinesAtStart("ARG V=1"), "\uFEFFARG V=1\nFROM a\n"),
                new Case("lines at start", "FROM a\n", d -> d.withLinesAtStart("# generated", "ARG V=1"),
                        "# generated\nARG V=1\nFROM a\n"),
                new Case("lines at end of an unterminated file", "FROM a\nRUN x",
                        d -> d.withLinesAtEnd("USER 1001"), "FROM a\nRUN x\nUSER 1001\n"),
                new Case("lines after each FROM skipping scratch", "FROM a\nRUN x\nFROM scratch\nCOPY a b\nFROM c\n",
                        d -> d.withLinesAfterEachFrom(true, "RUN y"),
                        "FROM a\nRUN y\nRUN x\nFROM scratch\nCOPY a b\nFROM c\nRUN y\n"),
                new Case("lines at the end of each stage", "FROM a\nRUN x\n\nFROM scratch\nRUN z\n",
                        d -> d.withLinesAtEndOfEachStage(false, "RUN y\n"),
                        "FROM a\nRUN x\nRUN y\n\nFROM scratch\nRUN z\nRUN y\n"),
                new Case("lines before an anchor", "FROM a\nRUN x \\\n  y\nUSER me\n",
                        d -> d.withLinesBefore(d.instructions().get(1), "ENV A=1"),
                        "FROM a\nENV A=1\nRUN x \\\n  y\nUSER me\n"),
                new Case("lines after a heredoc anchor", "FROM a\nRUN <<EOF\nx\nEOF\nUSER me\n",
                        d -> d.withLinesAfter(d.instructions().get(1), "ENV A=1"),
                        "FROM a\nRUN <<EOF\nx\nEOF\nENV A=1\nUSER me\n"),
                new Case("replace an anchor", "FROM a\nRUN x \\\n  y\nUSER me\n",
                        d -> d.withLinesReplacing(d.instructions().get(1), "RUN z"), "FROM a\nRUN z\nUSER me\n"),
                new Case("replace the unterminated last line", "FROM a\nUSER me",
                        d -> d.withLinesReplacing(d.instructions().get(1), "USER you"), "FROM a\nUSER you"),
                new Case("replace with nothing deletes", "FROM a\nUSER me\nRUN x\n",
                        d -> d.withLinesReplacing(d.instructions().get(1)), "FROM a\nRUN x\n"),
                new Case("backtick escape quoting", "# escape=`\nFROM a\nENV P=c:\\old\n",
                        d -> d.withEnv("P", "c:\\new dir"), "# escape=`\nFROM a\nENV P=\"c:\\new dir\"\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void editsMinimally(Case c) throws DockerfileException {
        Dockerfile before = Dockerfile.parse(c.input());

        Dockerfile after = c.edit().apply(before);

        assertThat(after.content()).isEqualTo(c.expected());
        assertThat(before.content()).isEqualTo(c.input());
    }

    @Test
    void editedValuesReadBack() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a\nLABEL k=v\n");
        List<String> values = List.of("", " ", "a b", "'", "\"", "$HOME", "${X}", "\\", "`", "caf\u00e9 \u2615", "a=b",
                "#not comment", "  padded  ", "x\\\"y");
        for (String value : values) {
            assertThat(d.withLabel("k", value).labels()).containsEntry("k", value);
            assertThat(d.withEnv("E", value).envs()).containsEntry("E", value);
            assertThat(d.withLabel("new key", value).labels()).containsEntry("new key", value);
        }
    }

    @Test
    void parentImageCountMustMatch() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a AS x\nFROM x\nFROM c\n");

        assertThatThrownBy(() -> d.withParentImages(List.of("only-one")))
                .isInstanceOf(DockerfileException.class)
                .hasMessage("1 parent images given, but the Dockerfile has 2 stages that use an image (3 stages in all)");
    }

    @Test
    void impossibleEditsAreRefused() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a\nRUN x\n");

        assertThatThrownBy(() -> d.withLabel("k", "two\nlines")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> d.withLabel("a=b", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBaseImage("has space")).isInstanceOf(IllegalArgumentException.class);
        Instruction foreign = Dockerfile.parse("FROM b\n").instructions().get(0);
        assertThatThrownBy(() -> d.withLinesBefore(foreign, "RUN y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withLinesAtStart("RUN before-from"))
                .isInstanceOf(UncheckedDockerfileException.class)
                .hasMessageContaining("no build stage in current context");
        assertThatThrownBy(() -> d.withLinesAtEnd("FROOM x"))
                .isInstanceOf(UncheckedDockerfileException.class)
                .hasMessageContaining("unknown instruction: FROOM");
        assertThatThrownBy(() -> Dockerfile.parse("LABEL a=b\n").withBaseImage("x"))
                .isInstanceOf(UncheckedDockerfileException.class)
                .hasMessageContaining("no FROM");
    }

    @Test
    void fragmentsWithoutFromAreEditedLikeDockerfileParse() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("LABEL a=b\n");

        assertThat(d.withLabel("a", "c").content()).isEqualTo("LABEL a=c\n");
        assertThat(d.withLabel("n", "v").content()).isEqualTo("LABEL a=b\nLABEL n=v\n");
        assertThat(d.withEnv("E", "1").withoutLabel("a").content()).isEqualTo("ENV E=1\n");
    }

    private static Dockerfile parents(Dockerfile d, String... refs) {
        try {
            return d.withParentImages(List.of(refs));
        } catch (DockerfileException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
