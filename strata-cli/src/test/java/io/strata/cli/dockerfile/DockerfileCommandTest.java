package io.strata.cli.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfileCommandTest {
    private static final String DOCKERFILE = """
            ARG BASE=fedora
            FROM ${BASE}:40 AS build
            LABEL stage=one
            RUN make
            FROM scratch
            LABEL a=1 \\
                  b="two words"
            ENV PATH /bin
            CMD ["/app"]
            """;

    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one in-process run. */
    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CliRunner.run(TestCli.in(dir).environment(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void inspectJsonUsesDockerfileParseNames() throws IOException {
        Path file = write("Dockerfile", DOCKERFILE);

        Run run = run("dockerfile", "inspect", file.toString(), "--json", "--build-arg", "BASE=centos");

        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("baseimage").asText()).isEqualTo("scratch");
        assertThat(json.get("parent_images").toString()).isEqualTo("[\"centos:40\",\"scratch\"]");
        assertThat(json.get("is_multistage").asBoolean()).isTrue();
        assertThat(json.get("labels").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"two words\"}");
        assertThat(json.get("envs").toString()).isEqualTo("{\"PATH\":\"/bin\"}");
        assertThat(json.get("args").toString()).isEqualTo("{}");
        assertThat(json.get("cmd").toString()).isEqualTo("{\"form\":\"exec\",\"args\":[\"/app\"]}");
        assertThat(json.get("entrypoint").isNull()).isTrue();
        assertThat(json.get("stages").get(0).toString()).isEqualTo("{\"index\":0,\"image\":\"centos:40\","
                + "\"name\":\"build\",\"platform\":null,\"builds_on_stage\":false,\"labels\":{\"stage\":\"one\"},"
                + "\"envs\":{},\"args\":{},\"cmd\":null,\"entrypoint\":null}");
        JsonNode labelEntry = json.get("structure").get(5);
        assertThat(labelEntry.toString()).isEqualTo("{\"instruction\":\"LABEL\",\"startline\":5,\"endline\":6,"
                + "\"content\":\"LABEL a=1 \\\\\\n      b=\\\"two words\\\"\\n\",\"value\":\"a=1       b=\\\"two words\\\"\"}");
        assertThat(json.get("structure").size()).isEqualTo(8);
    }

    @Test
    void inspectText() throws IOException {
        Path file = write("Dockerfile", DOCKERFILE);

        Run run = run("dockerfile", "inspect", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Base image:    scratch\n", "Parent images: fedora:40, scratch\n",
                "  0  fedora:40 AS build\n", "    b = two words\n", "  Cmd:        exec [/app]\n",
                "  6-7      LABEL       a=1       b=\"two words\"\n");
    }

    @Test
    void editPrintsToStdoutAndLeavesTheFileAlone() throws IOException {
        Path file = write("Dockerfile", DOCKERFILE);

        Run run = run("dockerfile", "edit", file.toString(), "--label", "b=2", "--remove-label", "a", "--env",
                "PATH=/usr/bin", "--baseimage", "registry.example.com/base:1");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                ARG BASE=fedora
                FROM ${BASE}:40 AS build
                LABEL stage=one
                RUN make
                FROM registry.example.com/base:1
                LABEL b="2"
                ENV PATH /usr/bin
                CMD ["/app"]
                """);
        assertThat(Files.readString(file)).isEqualTo(DOCKERFILE);
    }

    @Test
    void editInPlaceAndToAnotherFile() throws IOException {
        Path file = write("Dockerfile", DOCKERFILE);
        Path out = dir.resolve("out/Dockerfile.new");

        assertThat(run("dockerfile", "edit", file.toString(), "--parent-images", "f:41,busybox", "-o", out.toString())
                .exit()).isZero();
        assertThat(Files.readString(out)).startsWith("ARG BASE=fedora\nFROM f:41 AS build\n")
                .contains("FROM busybox\n");
        assertThat(Files.readString(file)).isEqualTo(DOCKERFILE);

        assertThat(run("dockerfile", "edit", file.toString(), "--add-line", "USER 1001", "--all-stages",
                "--skip-scratch", "--in-place").exit()).isZero();
        assertThat(Files.readString(file)).isEqualTo(DOCKERFILE.replace("RUN make\n", "RUN make\nUSER 1001\n"));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("FROM a\nRUN x\nENV KEY\n", List.of("--label", "a=b"),
                        "Dockerfile:3: ENV must have two arguments: a key and a value [DOCKERFILE_INVALID]",
                        "  fix: write ENV KEY=<value>"),
                Arguments.of("FROM a\nRUN <<EOF\n", List.of(),
                        "Dockerfile:2: unterminated heredoc <<EOF [DOCKERFILE_INVALID]",
                        "  fix: end the here-document with a line that holds only EOF"),
                Arguments.of("FROM a AS x\nFROM x\nFROM c\n", List.of("--parent-images", "one"),
                        "Dockerfile:1: 1 parent images given, but the Dockerfile has 2 stages that use an image "
                                + "(3 stages in all) [DOCKERFILE_EDIT_FAILED]",
                        "  fix: give one image per stage that uses an image, in FROM order"),
                Arguments.of("FROM a\n", List.of("--add-line", "FROOM b"),
                        "Dockerfile:2: the edit would make the Dockerfile invalid: unknown instruction: FROOM "
                                + "[DOCKERFILE_EDIT_FAILED]",
                        "  fix: change the edit so the result is a valid Dockerfile"),
                Arguments.of("FROM a\n", List.of("--baseimage", "two words"),
                        "Dockerfile: an image reference must be one word without spaces: 'two words' "
                                + "[DOCKERFILE_EDIT_FAILED]", "  fix: change the value given to the edit"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("failures")
    void failuresNameFileAndLineAndWriteNothing(String content, List<String> edits, String message, String hint)
            throws IOException {
        Path file = write("Dockerfile", content);
        List<String> args = new ArrayList<>(List.of("dockerfile", "edit", file.toString()));
        args.addAll(edits);
        args.add("--in-place");

        Run run = run(args.toArray(String[]::new));

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).isEqualTo("strata: " + dir + "/" + message + "\n" + hint + "\n");
        assertThat(Files.readString(file)).isEqualTo(content);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(file);
        }
    }

    @Test
    void inspectReadsAFragmentWithoutFromAndWarns() throws IOException {
        Path file = write("Dockerfile", "LABEL a=b\nAPT-GET install x\n");

        Run run = run("dockerfile", "inspect", file.toString(), "--json");

        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("baseimage").isNull()).isTrue();
        assertThat(json.get("parent_images").toString()).isEqualTo("[]");
        assertThat(json.get("is_multistage").asBoolean()).isFalse();
        assertThat(json.get("labels").toString()).isEqualTo("{\"a\":\"b\"}");
        assertThat(json.get("structure").size()).isEqualTo(2);
        assertThat(json.get("warnings").toString()).isEqualTo("[{\"line\":1,\"code\":\"DOCKERFILE_NO_STAGE\","
                + "\"message\":\"no build stage in current context: LABEL comes before the first FROM\","
                + "\"fix\":\"start the Dockerfile with FROM <image> (only ARG may come before it)\"},"
                + "{\"line\":2,\"code\":\"DOCKERFILE_UNKNOWN_INSTRUCTION\",\"message\":\"unknown instruction: APT-GET\","
                + "\"fix\":\"check the spelling; if this line continues the previous instruction, end that line with \\\\\"}]");
    }

    @Test
    void inspectTextListsWarningsWithFileLineAndFix() throws IOException {
        Path file = write("Dockerfile", "FROM a\nLABEL v=1\nHEALTHCHECK\n");

        Run run = run("dockerfile", "inspect", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("    v = 1\n", "Warnings (the build would refuse these):\n  " + file
                + ":3: HEALTHCHECK requires at least one argument [DOCKERFILE_BAD_ARGUMENTS]\n    fix: give HEALTHCHECK its arguments\n");
    }

    @Test
    void inspectStrictRefusesWhatTheBuildRefuses() throws IOException {
        Path file = write("Dockerfile", "FROM a\nLABEL v=1\nFROOM b\n");

        Run run = run("dockerfile", "inspect", "--strict", file.toString());

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("strata: " + file + ":3: unknown instruction: FROOM [DOCKERFILE_INVALID]\n"
                + "  fix: check the spelling; if this line continues the previous instruction, end that line with \\\n");
        assertThat(run("dockerfile", "inspect", "--strict", write("Ok", "FROM a\n").toString()).exit()).isZero();
    }

    @Test
    void inspectTextOfAFragment() throws IOException {
        Path file = write("Dockerfile", "LABEL a=b\nCMD [\"run\"]\n");

        Run run = run("dockerfile", "inspect", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Base image:    (none: no FROM)\n", "Parent images: (none)\n", "Stages: (none)\n",
                "Whole file (no stage):\n", "    a = b\n", "  Cmd:        exec [run]\n",
                file + ":1: no build stage in current context: LABEL comes before the first FROM [DOCKERFILE_NO_STAGE]\n");
    }

    @Test
    void inspectShowsWhatCannotExpandAsWrittenWithAWarning() throws IOException {
        Path file = write("Dockerfile", "FROM a\nLABEL v=${V:?needed} w=2\n");

        Run run = run("dockerfile", "inspect", file.toString(), "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("labels").toString()).isEqualTo("{\"v\":\"${V:?needed}\",\"w\":\"2\"}");
        assertThat(json.get("warnings").get(0).get("message").asText()).isEqualTo("V: needed");
        assertThat(json.get("warnings").get(0).get("code").asText()).isEqualTo("DOCKERFILE_UNSET_VARIABLE");
    }

    @Test
    void inspectStructureKeepsCommentsInsideAnInstructionApart() throws IOException {
        Path file = write("Dockerfile", "FROM a\nRUN one \\\n  # note\n  two\n");

        JsonNode structure = new ObjectMapper().readTree(run("dockerfile", "inspect", file.toString(), "--json").out())
                .get("structure");

        assertThat(structure.get(1).toString()).isEqualTo("{\"instruction\":\"COMMENT\",\"startline\":2,\"endline\":2,"
                + "\"content\":\"  # note\\n\",\"value\":\"note\"}");
        assertThat(structure.get(2).get("content").asText()).isEqualTo("RUN one \\\n  two\n");
        assertThat(structure.get(2).get("endline").asInt()).isEqualTo(3);
    }

    @Test
    void notUtf8IsSaidWithTheByteOffset() throws IOException {
        Path file = dir.resolve("Dockerfile");
        Files.write(file, "FROM a\nLABEL x=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        Run run = run("dockerfile", "inspect", file.toString());

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).isEqualTo("strata: " + file + ":2: not UTF-8: byte 0xE9 at byte offset 18 is not valid "
                + "UTF-8 [DOCKERFILE_NOT_UTF8]\n  fix: save the Dockerfile as UTF-8 (for example: iconv -f latin1 -t utf-8)\n");
    }

    @Test
    void aFifoIsRefusedInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("Dockerfile");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        Run run = run("dockerfile", "inspect", fifo.toString());

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).startsWith("strata: " + fifo + ": not a regular file (a FIFO, device or socket) "
                + "[DOCKERFILE_NOT_REGULAR_FILE]\n");
    }

    @Test
    void bundledExampleInspects() throws IOException {
        Path example = Path.of("../examples/dockerfile/Dockerfile");

        Run run = run("dockerfile", "inspect", example.toString(), "--json", "--build-arg", "VERSION=2.0");

        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("parent_images").toString()).isEqualTo("[\"registry.access.redhat.com/ubi9/go-toolset:1.22\","
                + "\"registry.access.redhat.com/ubi9/ubi-micro:latest\"]");
        assertThat(json.get("labels").get("version").asText()).isEqualTo("2.0");
        assertThat(json.get("stages").get(0).get("envs").get("GOFLAGS").asText()).isEqualTo("-mod=vendor -trimpath");
    }

    @Test
    void missingFile() {
        Run run = run("dockerfile", "inspect", dir.resolve("nope").toString());

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.err()).startsWith("strata: " + dir.resolve("nope") + ": no such file [DOCKERFILE_UNREADABLE]\n");
    }

    @Test
    void badKeyValueIsAUsageError() throws IOException {
        Path file = write("Dockerfile", "FROM a\n");

        Run run = run("dockerfile", "edit", file.toString(), "--label", "novalue");

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_USAGE);
        assertThat(run.err()).startsWith("strata: --label needs KEY=VALUE, got 'novalue' [INVALID_USAGE]\n");
    }

    @Test
    void outputAndInPlaceExcludeEachOther() throws IOException {
        Path file = write("Dockerfile", "FROM a\n");

        Run run = run("dockerfile", "edit", file.toString(), "-o", "x", "--in-place");

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_USAGE);
    }
}
