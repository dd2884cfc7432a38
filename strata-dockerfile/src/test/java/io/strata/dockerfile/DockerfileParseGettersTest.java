package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.ShellForm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dockerfile-parse 2.0.1's getters ({@code structure}, {@code labels}, {@code envs}, {@code args},
 * {@code baseimage}, {@code parent_images}, {@code is_multistage}, {@code cmd}) on small inputs, each
 * expected value what dockerfile-parse answers for it. Where BuildKit disagrees with dockerfile-parse,
 * Strata answers as BuildKit; those rows say what dockerfile-parse answers instead (and
 * docs/dockerfile.md lists them).
 */
class DockerfileParseGettersTest {

    /** One row: input, build args, and the answer of each getter ({@code cmd}: Strata's typed form). */
    record Case(String name, String input, Map<String, String> buildArgs, List<StructureEntry> structure,
            Map<String, String> labels, Map<String, String> envs, Map<String, String> args, String baseimage,
            List<String> parentImages, boolean multistage, Optional<Command> cmd) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static StructureEntry e(String instruction, int start, int end, String content, String value) {
        return new StructureEntry(instruction, start, end, content, value);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("fragment: one LABEL, no FROM", "LABEL a=b\n", Map.of(),
                        List.of(e("LABEL", 0, 0, "LABEL a=b\n", "a=b")),
                        Map.of("a", "b"), Map.of(), Map.of(), null, List.of(), false, Optional.empty()),
                new Case("fragment: ARG is global, ENV and LABEL do not see it",
                        "ARG V=1\nENV E=$V\nLABEL l=\"x y\" m=$E\n", Map.of(),
                        List.of(e("ARG", 0, 0, "ARG V=1\n", "V=1"), e("ENV", 1, 1, "ENV E=$V\n", "E=$V"),
                                e("LABEL", 2, 2, "LABEL l=\"x y\" m=$E\n", "l=\"x y\" m=$E")),
                        Map.of("l", "x y", "m", ""), Map.of("E", ""), Map.of("V", "1"), null, List.of(), false,
                        Optional.empty()),
                new Case("fragment: CMD first", "CMD [\"a\", \"b\"]\nEXPOSE 80\n", Map.of(),
                        List.of(e("CMD", 0, 0, "CMD [\"a\", \"b\"]\n", "[\"a\", \"b\"]"), e("EXPOSE", 1, 1, "EXPOSE 80\n", "80")),
                        Map.of(), Map.of(), Map.of(), null, List.of(), false,
                        Optional.of(new ExecForm(List.of("a", "b")))),
                new Case("multi-stage with a global ARG", "ARG BASE=ubi9\nFROM $BASE AS build\nARG BASE\nRUN make\n"
                        + "FROM scratch\nCOPY --from=build /a /a\nCMD [\"/a\"]\n", Map.of(),
                        List.of(e("ARG", 0, 0, "ARG BASE=ubi9\n", "BASE=ubi9"),
                                e("FROM", 1, 1, "FROM $BASE AS build\n", "$BASE AS build"),
                                e("ARG", 2, 2, "ARG BASE\n", "BASE"), e("RUN", 3, 3, "RUN make\n", "make"),
                                e("FROM", 4, 4, "FROM scratch\n", "scratch"),
                                e("COPY", 5, 5, "COPY --from=build /a /a\n", "--from=build /a /a"),
                                e("CMD", 6, 6, "CMD [\"/a\"]\n", "[\"/a\"]")),
                        Map.of(), Map.of(), Map.of(), "scratch", List.of("ubi9", "scratch"), true,
                        Optional.of(new ExecForm(List.of("/a")))),
                new Case("build arg overrides a global ARG", "ARG BASE=ubi9\nFROM $BASE\n", Map.of("BASE", "centos"),
                        List.of(e("ARG", 0, 0, "ARG BASE=ubi9\n", "BASE=ubi9"), e("FROM", 1, 1, "FROM $BASE\n", "$BASE")),
                        Map.of(), Map.of(), Map.of(), "centos", List.of("centos"), false, Optional.empty()),
                new Case("comment inside a continued RUN is its own entry", "FROM a\nRUN one \\\n# inside\n    two\nLABEL x=y\n",
                        Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("COMMENT", 2, 2, "# inside\n", "inside"),
                                e("RUN", 1, 3, "RUN one \\\n    two\n", "one     two"), e("LABEL", 4, 4, "LABEL x=y\n", "x=y")),
                        Map.of("x", "y"), Map.of(), Map.of(), "a", List.of("a"), false, Optional.empty()),
                new Case("directives are comments; escape directive", "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN x `\n  y\n",
                        Map.of(),
                        List.of(e("COMMENT", 0, 0, "# syntax=docker/dockerfile:1\n", "syntax=docker/dockerfile:1"),
                                e("COMMENT", 1, 1, "# escape=`\n", "escape=`"), e("FROM", 2, 2, "FROM a\n", "a"),
                                e("RUN", 3, 4, "RUN x `\n  y\n", "x   y")),
                        Map.of(), Map.of(), Map.of(), "a", List.of("a"), false, Optional.empty()),
                new Case("quoted keys; ENV pairs see the variables before the instruction",
                        "FROM a\nLABEL \"quoted key\"=\"v 1\" 'b'='c'\nENV A=1 B=${A}2 C=\"$A\"\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"),
                                e("LABEL", 1, 1, "LABEL \"quoted key\"=\"v 1\" 'b'='c'\n", "\"quoted key\"=\"v 1\" 'b'='c'"),
                                e("ENV", 2, 2, "ENV A=1 B=${A}2 C=\"$A\"\n", "A=1 B=${A}2 C=\"$A\"")),
                        Map.of("quoted key", "v 1", "b", "c"), Map.of("A", "1", "B", "2", "C", ""), Map.of(), "a",
                        List.of("a"), false, Optional.empty()),
                new Case("last stage only; a stage built on a stage", "FROM a AS one\nLABEL s=1\nCMD x\nFROM one\nLABEL t=2\n",
                        Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a AS one\n", "a AS one"), e("LABEL", 1, 1, "LABEL s=1\n", "s=1"),
                                e("CMD", 2, 2, "CMD x\n", "x"), e("FROM", 3, 3, "FROM one\n", "one"),
                                e("LABEL", 4, 4, "LABEL t=2\n", "t=2")),
                        Map.of("t", "2"), Map.of(), Map.of(), "one", List.of("a", "one"), true, Optional.empty()),
                new Case("stage ARGs with a build arg", "FROM a\nARG X=1\nARG Y\nENV Z=$X\nCMD echo hi\n", Map.of("Y", "2"),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ARG", 1, 1, "ARG X=1\n", "X=1"),
                                e("ARG", 2, 2, "ARG Y\n", "Y"), e("ENV", 3, 3, "ENV Z=$X\n", "Z=$X"),
                                e("CMD", 4, 4, "CMD echo hi\n", "echo hi")),
                        Map.of(), Map.of("Z", "1"), Map.of("X", "1", "Y", "2"), "a", List.of("a"), false,
                        Optional.of(new ShellForm("echo hi"))),
                new Case("quoted ARG name", "FROM a\nARG \"name\"=value\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ARG", 1, 1, "ARG \"name\"=value\n", "\"name\"=value")),
                        Map.of(), Map.of(), Map.of("name", "value"), "a", List.of("a"), false, Optional.empty()),
                new Case("ENTRYPOINT and CMD in exec form", "FROM a\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"echo\"]\n",
                        Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"),
                                e("ENTRYPOINT", 1, 1, "ENTRYPOINT [\"/bin/sh\", \"-c\"]\n", "[\"/bin/sh\", \"-c\"]"),
                                e("CMD", 2, 2, "CMD [\"echo\"]\n", "[\"echo\"]")),
                        Map.of(), Map.of(), Map.of(), "a", List.of("a"), false, Optional.of(new ExecForm(List.of("echo")))),
                new Case("a stage built on a stage does not see its ENV here", "FROM a AS b\nENV X=1\nFROM b\nENV Y=$X\n",
                        Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a AS b\n", "a AS b"), e("ENV", 1, 1, "ENV X=1\n", "X=1"),
                                e("FROM", 2, 2, "FROM b\n", "b"), e("ENV", 3, 3, "ENV Y=$X\n", "Y=$X")),
                        Map.of(), Map.of("Y", ""), Map.of(), "b", List.of("a", "b"), true, Optional.empty()),
                new Case("LABEL over three lines", "FROM a\nLABEL a=1 \\\n      b=2 \\\n      c=\"3 4\"\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"),
                                e("LABEL", 1, 3, "LABEL a=1 \\\n      b=2 \\\n      c=\"3 4\"\n", "a=1       b=2       c=\"3 4\"")),
                        Map.of("a", "1", "b", "2", "c", "3 4"), Map.of(), Map.of(), "a", List.of("a"), false, Optional.empty()),
                new Case("comments between instructions", "FROM a\n# comment one\n\n#comment two\nRUN x\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("COMMENT", 1, 1, "# comment one\n", "comment one"),
                                e("COMMENT", 3, 3, "#comment two\n", "comment two"), e("RUN", 4, 4, "RUN x\n", "x")),
                        Map.of(), Map.of(), Map.of(), "a", List.of("a"), false, Optional.empty()),
                new Case("quotes: single keeps $, double expands", "FROM a\nENV A=\"quoted value\" B='single $A' C=\"double $A\"\n",
                        Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ENV", 1, 1,
                                "ENV A=\"quoted value\" B='single $A' C=\"double $A\"\n", "A=\"quoted value\" B='single $A' C=\"double $A\"")),
                        Map.of(), Map.of("A", "quoted value", "B", "single $A", "C", "double "), Map.of(), "a", List.of("a"),
                        false, Optional.empty()),
                new Case("legacy ENV with an unset variable", "FROM a\nENV PATH /usr/bin:$PATH\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ENV", 1, 1, "ENV PATH /usr/bin:$PATH\n", "PATH /usr/bin:$PATH")),
                        Map.of(), Map.of("PATH", "/usr/bin:"), Map.of(), "a", List.of("a"), false, Optional.empty()),
                new Case("a global ARG redeclared in the stage", "ARG V=1\nFROM a:$V\nARG V\nLABEL v=$V\n", Map.of(),
                        List.of(e("ARG", 0, 0, "ARG V=1\n", "V=1"), e("FROM", 1, 1, "FROM a:$V\n", "a:$V"),
                                e("ARG", 2, 2, "ARG V\n", "V"), e("LABEL", 3, 3, "LABEL v=$V\n", "v=$V")),
                        Map.of("v", "1"), Map.of(), Map.of("V", "1"), "a:1", List.of("a:1"), false, Optional.empty()),
                new Case("lower-case keywords, CRLF", "from a\r\nlabel x=y\r\ncmd echo hi\r\n", Map.of(),
                        List.of(e("FROM", 0, 0, "from a\r\n", "a"), e("LABEL", 1, 1, "label x=y\r\n", "x=y"),
                                e("CMD", 2, 2, "cmd echo hi\r\n", "echo hi")),
                        Map.of("x", "y"), Map.of(), Map.of(), "a", List.of("a"), false, Optional.of(new ShellForm("echo hi"))),
                new Case("FROM with --platform", "FROM --platform=$BUILDPLATFORM a AS b\nFROM b\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM --platform=$BUILDPLATFORM a AS b\n", "--platform=$BUILDPLATFORM a AS b"),
                                e("FROM", 1, 1, "FROM b\n", "b")),
                        Map.of(), Map.of(), Map.of(), "b", List.of("a", "b"), true, Optional.empty()),
                // dockerfile-parse: B = ":-def}" (it knows no ${V:-word} modifiers).
                new Case("BuildKit: ${A:-def} gives the default", "FROM a\nARG A\nENV B=${A:-def}\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ARG", 1, 1, "ARG A\n", "A"),
                                e("ENV", 2, 2, "ENV B=${A:-def}\n", "B=${A:-def}")),
                        Map.of(), Map.of("B", "def"), Map.of("A", ""), "a", List.of("a"), false, Optional.empty()),
                // dockerfile-parse: parent_images ["${REG}/base:1"] (global ARG defaults taken literally).
                new Case("BuildKit: global ARGs expand in each other's defaults",
                        "ARG REG=r.io\nARG BASE=${REG}/base:1\nFROM ${BASE}\n", Map.of(),
                        List.of(e("ARG", 0, 0, "ARG REG=r.io\n", "REG=r.io"),
                                e("ARG", 1, 1, "ARG BASE=${REG}/base:1\n", "BASE=${REG}/base:1"),
                                e("FROM", 2, 2, "FROM ${BASE}\n", "${BASE}")),
                        Map.of(), Map.of(), Map.of(), "r.io/base:1", List.of("r.io/base:1"), false, Optional.empty()),
                // dockerfile-parse: one ENV "C" = "xRUN y" (the line continues).
                new Case("BuildKit: an escaped backslash at the end does not continue", "FROM a\nENV C x\\\\\nRUN y\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ENV", 1, 1, "ENV C x\\\\\n", "C x\\\\"),
                                e("RUN", 2, 2, "RUN y\n", "y")),
                        Map.of(), Map.of("C", "x\\"), Map.of(), "a", List.of("a"), false, Optional.empty()),
                // dockerfile-parse: args {"k": "v w"} (legacy name-value form).
                new Case("BuildKit: ARG k v w declares three ARGs", "FROM a\nARG k v w\n", Map.of(),
                        List.of(e("FROM", 0, 0, "FROM a\n", "a"), e("ARG", 1, 1, "ARG k v w\n", "k v w")),
                        Map.of(), Map.of(), Map.of("k", "", "v", "", "w", ""), "a", List.of("a"), false, Optional.empty()),
                // dockerfile-parse: args {"A": "1"} (the global value wins over the stage default).
                new Case("BuildKit: a stage ARG default wins over the global value", "ARG A=1\nFROM a\nARG A=2\n", Map.of(),
                        List.of(e("ARG", 0, 0, "ARG A=1\n", "A=1"), e("FROM", 1, 1, "FROM a\n", "a"),
                                e("ARG", 2, 2, "ARG A=2\n", "A=2")),
                        Map.of(), Map.of(), Map.of("A", "2"), "a", List.of("a"), false, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsDockerfileParse(Case c) throws DockerfileException {
        Dockerfile d = Dockerfile.parse(c.input());

        assertThat(d.structure()).as("structure").containsExactlyElementsOf(c.structure());
        StageView last = d.stages().isEmpty() ? d.stage(-1, c.buildArgs(), true)
                : d.stage(d.stages().size() - 1, c.buildArgs(), true);
        assertThat(last.labels()).as("labels").isEqualTo(c.labels());
        assertThat(last.envs()).as("envs").isEqualTo(c.envs());
        assertThat(last.args()).as("args").isEqualTo(c.args());
        List<String> parents = d.stages(c.buildArgs()).stream().map(Stage::image).toList();
        assertThat(parents).as("parent_images").isEqualTo(c.parentImages());
        assertThat(parents.isEmpty() ? null : parents.get(parents.size() - 1)).as("baseimage").isEqualTo(c.baseimage());
        if (c.buildArgs().isEmpty()) {
            assertThat(d.parentImages()).isEqualTo(c.parentImages());
            assertThat(d.baseImage()).isEqualTo(c.baseimage());
            assertThat(d.labels()).isEqualTo(c.labels());
            assertThat(d.envs()).isEqualTo(c.envs());
            assertThat(d.args()).isEqualTo(c.args());
        }
        assertThat(d.isMultiStage()).as("is_multistage").isEqualTo(c.multistage());
        assertThat(last.cmd()).as("cmd").isEqualTo(c.cmd());
    }
}
