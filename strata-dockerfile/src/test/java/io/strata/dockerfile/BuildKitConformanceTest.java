package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * BuildKit's own parser test files and shell-lexer tables, run over this library (test resources under
 * {@code buildkit/}, Apache-2.0, source commit in {@code buildkit/SOURCE.md}): every positive file parses
 * losslessly into the AST BuildKit's parser builds (its {@code result} file, written as BuildKit's
 * {@code Node.Dump()} writes it), every negative one fails with a line, every expansion gives BuildKit's
 * result.
 */
class BuildKitConformanceTest {

    private static Path resource(String name) {
        try {
            return Path.of(BuildKitConformanceTest.class.getResource("/buildkit/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<Path> dirs(String name) throws IOException {
        try (Stream<Path> list = Files.list(resource(name))) {
            return list.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPositiveFileParses() throws IOException {
        List<Path> dirs = dirs("parser/testfiles").toList();
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(30);
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            byte[] bytes = Files.readAllBytes(dir.resolve("Dockerfile"));
            Dockerfile d = Dockerfile.parse(bytes);
            assertThat(d.content()).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
            assertThat(d.instructions()).isNotEmpty();
            String expected = Files.readString(dir.resolve("result"), StandardCharsets.UTF_8);
            assertThat(BuildKitAstDump.dump(d)).as("BuildKit's AST dump (result file)").isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyNegativeFileFailsWithALine() throws IOException {
        List<Path> dirs = dirs("parser/testfiles-negative").toList();
        assertThat(dirs).hasSize(4);
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            Path file = dir.resolve("Dockerfile");
            DockerfileException e = catchThrowableOfType(DockerfileException.class,
                    () -> Dockerfile.parse(Files.readAllBytes(file)));
            assertThat(e).as(file.toString()).isNotNull();
            assertThat(e.line()).isPositive();
            String report = file.getFileName() + ":" + e.line() + ": " + e.getMessage();
            assertThat(report).matches("Dockerfile:\\d+: .+");
            assertThat(e.hint()).isNotBlank();
        }));
    }

    /** BuildKit's {@code TestParseIncludesLineNumbers} on {@code testfile-line/Dockerfile}. */
    @Test
    void instructionsSpanTheLinesBuildKitGivesThem() throws IOException, DockerfileException {
        Dockerfile d = Dockerfile.parse(Files.readAllBytes(resource("parser/testfile-line/Dockerfile")));

        assertThat(d.instructions()).extracting(i -> List.of(i.startLine(), i.endLine()))
                .containsExactly(List.of(5, 5), List.of(11, 12), List.of(17, 31));
    }

    /** {@code envVarTest}: {@code platform | input | expected-or-error}; W rows are Windows-only. */
    @TestFactory
    Stream<DynamicTest> envVarTestExpandsAsBuildKit() throws IOException {
        Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");
        ShellLexer lexer = ShellLexer.expanding('\\');
        List<DynamicTest> tests = new ArrayList<>();
        List<String> lines = Files.readAllLines(resource("shell/envVarTest"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") || line.strip().isEmpty()) {
                continue;
            }
            String[] parts = line.strip().split("\\|", -1);
            assertThat(parts).as("line %d", i + 1).hasSize(3);
            String platform = parts[0].strip();
            if (platform.equals("W")) {
                continue;
            }
            String source = parts[1].strip();
            String expected = parts[2].strip();
            tests.add(DynamicTest.dynamicTest((i + 1) + ": " + source, () -> {
                if (expected.equals("error")) {
                    assertThat(catchThrowableOfType(DockerfileException.class,
                            () -> lexer.processWord(source, env, 1))).as(source).isNotNull();
                } else {
                    assertThat(lexer.processWord(source, env, 1)).as(source).isEqualTo(expected);
                }
            }));
        }
        assertThat(tests).hasSizeGreaterThan(150);
        return tests.stream();
    }

    /**
     * {@code wordsTest}: {@code ENV k=v} lines add variables, other lines are {@code input | w1,w2,...}.
     * (BuildKit's own test loops a second mode over an already consumed scanner, so only this one runs.)
     */
    @TestFactory
    Stream<DynamicTest> wordsTestSplitsAsBuildKit() throws IOException {
        ShellLexer lexer = ShellLexer.expanding('\\');
        Map<String, String> env = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        List<String> lines;
        try (InputStream in = Files.newInputStream(resource("shell/wordsTest"))) {
            lines = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("ENV ")) {
                String kv = line.substring(3).stripLeading();
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
                continue;
            }
            String[] parts = line.split("\\|", -1);
            assertThat(parts).as("line %d", i + 1).hasSize(2);
            String input = parts[0].strip();
            List<String> expected = List.of(parts[1].stripLeading().split(",", -1));
            Map<String, String> envNow = Map.copyOf(env);
            tests.add(DynamicTest.dynamicTest((i + 1) + ": " + input, () -> {
                List<String> words;
                try {
                    words = lexer.processWords(input, envNow, 1);
                } catch (DockerfileException e) {
                    words = List.of("error");
                }
                assertThat(words).as(input).isEqualTo(expected);
            }));
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }
}
