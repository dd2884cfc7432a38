package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildStore;
import io.strata.local.store.BuildStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code src/test/resources/bad-inputs/corpus.txt}): every entry point given
 * something wrong, run through the real command line. Each must end with its exit code, exactly one
 * reason code (the expected one), a fix line, no stack trace, and no output file written.
 */
class BadInputCorpusTest {
    static final Path FIXTURES = resource("bad-inputs");
    static final Pattern REASON = Pattern.compile("\\[([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\\]");
    static final Pattern TOKEN = Pattern.compile("\\{([a-z-]+)(?::([a-z0-9-]+))?\\}");
    static final String REQUEST = "--component x --git-uri https://example.com/x.git --git-ref main";

    @TempDir
    static Path dir;
    static Map<String, String> tokens = new HashMap<>();

    /** One line of the corpus. */
    record Entry(int line, int exit, String reason, String arguments, String environment) {
        @Override
        public String toString() {
            return "line " + line + ": " + arguments + (environment.isEmpty() ? "" : " | " + environment);
        }
    }

    @BeforeAll
    static void layOutFixtures() throws Exception {
        Path d = dir.resolve("fixtures");
        copy(FIXTURES, d);
        Path example = Path.of("../examples/streams-group").toAbsolutePath().normalize();
        copy(example, dir.resolve("group"));
        try (Stream<Path> variants = Files.list(FIXTURES.resolve("groups"))) {
            for (Path variant : variants.toList()) {
                Path target = dir.resolve("groups").resolve(variant.getFileName().toString());
                copy(example, target);
                copy(variant, target);
            }
        }
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path good = Files.writeString(dir.resolve("good.conf"), "[default]\nstrata_home = " + dir.resolve("home") + "\n");
        Path seeded = Files.writeString(dir.resolve("seeded.conf"), "[default]\nstrata_home = " + dir.resolve("seeded") + "\n");
        String failed = seedStore(dir.resolve("seeded"));
        tokens.putAll(Map.of("d", d.toString(), "good", good.toString(), "seeded", seeded.toString(), "req", REQUEST,
                "out", dir.resolve("out.yaml").toString(), "group", dir.resolve("group").toString(),
                "fifo", fifo.toString(), "missing", dir.resolve("does-not-exist").toString(), "failed-build", failed));
    }

    /** Two builds, one COMPLETE and one FAILED: "no builds match" and "pushed no image" need them. Returns the failed one. */
    static String seedStore(Path home) throws Exception {
        String url = io.strata.core.config.StrataSettings.embeddedStoreUrl(home);
        try (BuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            BuildRequest request = BuildRequest.builder().component("seeded").gitUri("https://example.com/x.git").gitRef("main").build();
            BuildRecord failed = store.create(request, Map.of(), "{}");
            for (BuildState state : List.of(BuildState.PENDING, BuildState.RUNNING)) {
                store.transition(failed.id(), state, Optional.empty());
            }
            store.transition(failed.id(), BuildState.FAILED, Optional.of(new Failure("GIT_REF_NOT_FOUND", "no ref main", "check the ref")));
            return failed.id().value();
        }
    }

    static Stream<Arguments> corpus() throws IOException {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("corpus.txt"), StandardCharsets.UTF_8);
        List<Arguments> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\\s*\\|\\s*", -1);
            entries.add(Arguments.of(new Entry(i + 1, Integer.parseInt(columns[0]), columns[1], columns[2],
                    columns.length > 3 ? columns[3] : "")));
        }
        return entries.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void oneClearMessageNeverAStackTrace(Entry entry) throws Exception {
        Map<String, String> environment = new HashMap<>();
        for (String pair : entry.environment().isEmpty() ? new String[0] : entry.environment().split(";")) {
            environment.put(pair.substring(0, pair.indexOf('=')), expand(pair.substring(pair.indexOf('=') + 1)));
        }
        Path home = Files.createDirectories(dir.resolve("homes").resolve("line-" + entry.line()));
        String[] args = expand(entry.arguments()).split(" ");

        TestCli.Run run = TestCli.with(home, environment).run(args);

        String err = run.err();
        assertThat(run.exit()).as(err).isEqualTo(entry.exit());
        assertThat(err).as("no stack trace").doesNotContain("\tat ", "Exception", "Caused by", "java.", "internal error");
        List<String> reasons = REASON.matcher(err).results().map(m -> m.group(1)).toList();
        assertThat(reasons).as("exactly one reason code in:\n" + err).containsExactly(entry.reason());
        assertThat(err.lines().filter(l -> l.startsWith("  fix: ")).count()).as("one fix line in:\n" + err).isEqualTo(1);
        assertThat(err.lines().filter(l -> l.startsWith("  fix: ")).findFirst().orElseThrow().strip())
                .as("a fix that says something").hasSizeGreaterThan("fix: ".length() + 10);
        assertThat(dir.resolve("out.yaml")).as("no output file written").doesNotExist();
        assertThat(run.out()).as("nothing half-printed on stdout").isEmpty();
    }

    private static String expand(String text) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).equals("g") ? dir.resolve("groups").resolve(m.group(2)).toString() : tokens.get(m.group(1));
            assertThat(value).as("token " + m.group()).isNotNull();
            m.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        return m.appendTail(expanded).toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(BadInputCorpusTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // The messages the corpus found unclear before, word for word where it matters.

    TestCli cli() throws IOException {
        return TestCli.in(Files.createDirectories(dir.resolve("homes/messages")));
    }

    @Test
    void aFileThatIsNotUtf8SaysWhereTheBadByteIs() throws Exception {
        TestCli.Run run = cli().run(expand("list-builds --config {d}/conf/latin1.conf").split(" "));

        assertThat(run.err()).contains("the configuration file is not UTF-8 text: invalid byte 0xe9 at offset 15 (line 2)")
                .contains("fix: save the file as UTF-8");
    }

    @Test
    void aDirectoryGivenAsTheConfigurationIsCalledADirectory() throws Exception {
        TestCli.Run run = cli().run(expand("list-builds --config {d}").split(" "));

        assertThat(run.err()).contains("the configuration file is a directory, not a file")
                .contains("fix: give the osbs.conf file itself");
    }

    @Test
    void streamsOfTheWrongShapeSayWhereAndWhatShape() throws Exception {
        TestCli.Run top = cli().run(expand("streams gen-buildconfigs --group-dir {g:streams-list} -o {out}").split(" "));
        TestCli.Run value = cli().run(expand("streams gen-buildconfigs --group-dir {g:streams-value-list} -o {out}").split(" "));
        TestCli.Run field = cli().run(expand("streams gen-buildconfigs --group-dir {g:streams-field-list} -o {out}").split(" "));

        assertThat(top.err()).contains("streams.yml:1: the top level: expected a mapping (key: value lines), found a list");
        assertThat(value.err()).contains("streams.yml:2: at golang: expected a mapping (key: value lines), found a list");
        assertThat(field.err()).contains("at golang.image: expected a string, found a list");
    }

    @Test
    void anEmptyListSaysWhetherTheFiltersOrTheStoreAreEmpty() throws Exception {
        TestCli cli = cli();
        TestCli.Run state = cli.run(expand("list-builds --config {seeded} --state COMPLETE").split(" "));
        TestCli.Run component = cli.run(expand("list-builds --config {seeded} --component nope").split(" "));
        TestCli.Run lowerCase = cli.run(expand("list-builds --config {seeded} --state failed").split(" "));
        TestCli.Run empty = cli.run(expand("list-builds --config {good} --state failed").split(" "));

        assertThat(state.out()).isEqualTo("no builds match state COMPLETE; `strata list-builds` without filters lists them all\n");
        assertThat(component.out()).startsWith("no builds match component nope;");
        assertThat(lowerCase.exit()).as(lowerCase.err()).isZero();
        assertThat(lowerCase.out()).contains(tokens.get("failed-build"), "FAILED", "GIT_REF_NOT_FOUND");
        assertThat(empty.out()).isEqualTo("no builds match state FAILED; there are no builds yet\n");
    }

    @Test
    void aBuildThatPushedNothingHasNoImageId() throws Exception {
        TestCli.Run run = cli().run(expand("get-build-image-id --config {seeded} {failed-build}").split(" "));

        assertThat(run.err()).contains("build " + tokens.get("failed-build") + " is FAILED and pushed no image [BUILD_HAS_NO_IMAGE]");
    }

    @Test
    void aRequestFixNamesTheFieldAndTheCommandLineAddsItsFlag() throws Exception {
        TestCli.Run run = cli().run(expand("render plan --config {good} --component Hello --git-uri https://example.com/x.git "
                + "--git-ref main").split(" "));

        assertThat(run.err()).isEqualTo("""
                strata: invalid build request: component: 'Hello' cannot be an image name [INVALID_COMPONENT]
                  fix: spell component with lower-case letters and digits, separated by '.', '_' or '-' (--component)
                """);
    }
}
