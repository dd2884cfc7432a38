package io.strata.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.strata.core.config.Configuration;
import io.strata.core.render.TestConfigs;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuildRequestValidatorTest {
    private final Configuration config = TestConfigs.seedConfig();

    private static BuildRequest valid() {
        return TestConfigs.seedRequest();
    }

    @Test
    void theSeedRequestIsValid() {
        assertThat(BuildRequestValidator.validate(valid(), config)).isEmpty();
        assertThatCode(() -> BuildRequestValidator.requireValid(valid(), config)).doesNotThrowAnyException();
    }

    /** What is wrong, its one code, and a fix that names the request field (never a command-line flag). */
    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("no component", (UnaryOperator<BuildRequest.Builder>) b -> b.component(" "),
                        "component: no component given [MISSING_COMPONENT] / fix: set component to the name of the component (Koji package) to build"),
                Arguments.of("component with capitals", (UnaryOperator<BuildRequest.Builder>) b -> b.component("Hello"),
                        "component: 'Hello' cannot be an image name [INVALID_COMPONENT] / fix: spell component with lower-case letters and digits, separated by '.', '_' or '-'"),
                Arguments.of("no git uri", (UnaryOperator<BuildRequest.Builder>) b -> b.gitUri(null),
                        "git_uri: no git URI given [MISSING_GIT_URI] / fix: set git_uri to the repository holding the source, e.g. https://host/repo.git"),
                Arguments.of("malformed git uri", (UnaryOperator<BuildRequest.Builder>) b -> b.gitUri("github.com/x/y"),
                        "git_uri: 'github.com/x/y' is not a git URI [MALFORMED_GIT_URI] / fix: write git_uri as https://host/repo.git, git://host/repo, ssh://user@host/repo, file:///path, /path/to/repo or user@host:path"),
                Arguments.of("malformed git uri with a token", (UnaryOperator<BuildRequest.Builder>) b -> b.gitUri("https://ghp_t0k@host x/y"),
                        "git_uri: 'https://****@host x/y' is not a git URI [MALFORMED_GIT_URI] / fix: write git_uri as https://host/repo.git, git://host/repo, ssh://user@host/repo, file:///path, /path/to/repo or user@host:path"),
                Arguments.of("no git ref", (UnaryOperator<BuildRequest.Builder>) b -> b.gitRef(""),
                        "git_ref: no git ref given [MISSING_GIT_REF] / fix: set git_ref to the commit, tag or branch to build"),
                Arguments.of("dockerfile outside", (UnaryOperator<BuildRequest.Builder>) b -> b.dockerfilePath("../Dockerfile"),
                        "dockerfile: '../Dockerfile' is not inside the repository [INVALID_DOCKERFILE_PATH] / fix: give dockerfile as a path relative to the repository root, without '..'"),
                Arguments.of("absolute dockerfile", (UnaryOperator<BuildRequest.Builder>) b -> b.dockerfilePath("/etc/Dockerfile"),
                        "dockerfile: '/etc/Dockerfile' is not inside the repository [INVALID_DOCKERFILE_PATH] / fix: give dockerfile as a path relative to the repository root, without '..'"),
                Arguments.of("isolated without release", (UnaryOperator<BuildRequest.Builder>) b -> b.isolated(true),
                        "release: an isolated build needs a release [ISOLATED_WITHOUT_RELEASE] / fix: set release to the release being rebuilt, e.g. 3.1"),
                Arguments.of("isolated with a plain release", (UnaryOperator<BuildRequest.Builder>) b -> b.isolated(true).release("3"),
                        "release: release '3' does not match ^\\d+\\.\\d+(\\..+)?$ [ISOLATED_WITHOUT_RELEASE] / fix: set release to the release being rebuilt, e.g. 3.1"),
                Arguments.of("release with a hyphen", (UnaryOperator<BuildRequest.Builder>) b -> b.release("1-2"),
                        "release: release '1-2' has characters a release cannot have ('-' separates N-V-R) [INVALID_RELEASE] / fix: spell release with letters, digits, '_' and '.' only"),
                Arguments.of("release label conflict", (UnaryOperator<BuildRequest.Builder>) b -> b.release("2").labels(Map.of("release", "3")),
                        "labels: label release=3 contradicts release 2 [RELEASE_LABEL_CONFLICT] / fix: give the release either as the release field or as a label, not both"),
                Arguments.of("unknown platform", (UnaryOperator<BuildRequest.Builder>) b -> b.platforms(List.of("x86_64", "ppc64le")),
                        "platforms: platform 'ppc64le' is not configured [UNKNOWN_PLATFORM] / fix: use one of [x86_64] or add a [platform:ppc64le] section to the configuration"),
                Arguments.of("duplicate platform", (UnaryOperator<BuildRequest.Builder>) b -> b.platforms(List.of("x86_64", "x86_64")),
                        "platforms: platform 'x86_64' is listed twice [DUPLICATE_PLATFORM] / fix: list each platform once in platforms"),
                Arguments.of("priority too high", (UnaryOperator<BuildRequest.Builder>) b -> b.priority(101),
                        "priority: priority 101 is outside -100..100 [PRIORITY_OUT_OF_RANGE] / fix: set priority to a number from -100 to 100 (higher runs first)"),
                Arguments.of("priority too low", (UnaryOperator<BuildRequest.Builder>) b -> b.priority(-101),
                        "priority: priority -101 is outside -100..100 [PRIORITY_OUT_OF_RANGE] / fix: set priority to a number from -100 to 100 (higher runs first)"),
                Arguments.of("bad label key", (UnaryOperator<BuildRequest.Builder>) b -> b.labels(Map.of("-bad", "x")),
                        "labels: label key '-bad' is invalid [INVALID_LABEL_KEY] / fix: spell label keys with letters, digits, '.', '_', '/', '-', starting and ending with a letter or digit"),
                Arguments.of("bad build arg", (UnaryOperator<BuildRequest.Builder>) b -> b.buildArgs(Map.of("1VERSION", "x")),
                        "build_args: build argument name '1VERSION' is invalid [INVALID_BUILD_ARG_KEY] / fix: spell build argument names with letters, digits and '_', not starting with a digit"),
                Arguments.of("bad yum repo url", (UnaryOperator<BuildRequest.Builder>) b -> b.yumRepoUrls(List.of("repo.example/x.repo")),
                        "yum_repourls: 'repo.example/x.repo' is not an http(s), ftp or file URL [INVALID_YUM_REPO_URL] / fix: give the http(s), ftp or file URL of a .repo file in yum_repourls"),
                Arguments.of("bad koji task", (UnaryOperator<BuildRequest.Builder>) b -> b.kojiTaskId(0L),
                        "koji_task_id: Koji task id 0 is not positive [INVALID_KOJI_TASK_ID] / fix: set koji_task_id to the id of the Koji task, or leave it out"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachMistakeHasItsReasonAndMessage(String name, UnaryOperator<BuildRequest.Builder> change, String expected) {
        List<Violation> found = BuildRequestValidator.validate(change.apply(valid().toBuilder()).build(), config);
        assertThat(found).map(v -> v + " / fix: " + v.fix()).containsExactly(expected);
        assertThat(found.get(0).fix()).as("a request hint speaks of fields, not flags").doesNotContain("--");
    }

    @Test
    void oneViolationCarriesItsCodeOnceAndItsOwnFix() {
        BuildRequest bad = valid().toBuilder().component("Hello").build();

        assertThatThrownBy(() -> BuildRequestValidator.requireValid(bad, config))
                .isInstanceOfSatisfying(InvalidBuildRequestException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("invalid build request: component: 'Hello' cannot be an image name");
                    assertThat(e.hint()).startsWith("spell component with");
                });
    }

    @Test
    void scratchAndIsolatedTogetherIsRefused() {
        BuildRequest both = valid().toBuilder().scratch(true).isolated(true).release("1.2").build();

        assertThat(BuildRequestValidator.validate(both, config)).map(Violation::code).containsExactly(ReasonCode.SCRATCH_AND_ISOLATED);
    }

    @Test
    void allViolationsAreReportedAndTheFirstIsTheReason() {
        BuildRequest bad = BuildRequest.builder().gitUri("nonsense").priority(500).build();

        assertThatThrownBy(() -> BuildRequestValidator.requireValid(bad, config))
                .isInstanceOfSatisfying(InvalidBuildRequestException.class, e -> {
                    assertThat(e.reason()).isEqualTo("MISSING_COMPONENT");
                    assertThat(e.violations()).map(Violation::code).containsExactly(ReasonCode.MISSING_COMPONENT,
                            ReasonCode.MALFORMED_GIT_URI, ReasonCode.MISSING_GIT_REF, ReasonCode.PRIORITY_OUT_OF_RANGE);
                    assertThat(e.getMessage()).startsWith("invalid build request, 4 problems:\n  component: no component given");
                });
    }

    @Test
    void platformsAreUncheckedWhenTheConfigurationDeclaresNone() throws Exception {
        Configuration noPlatforms = io.strata.core.config.ConfigLoader.load(TestConfigs.hermetic()).config();

        assertThat(BuildRequestValidator.validate(valid().toBuilder().platforms(List.of("riscv64")).build(), noPlatforms)).isEmpty();
    }

    static Stream<Arguments> gitUris() {
        return Stream.of(
                Arguments.of("https://github.com/org/repo.git", true),
                Arguments.of("http://git.example/repo", true),
                Arguments.of("git://github.com/sosiouxme/docker-hello-world", true),
                Arguments.of("ssh://git@host.example:2222/repo.git", true),
                Arguments.of("git+ssh://git@host.example/repo", true),
                Arguments.of("file:///srv/git/repo.git", true),
                Arguments.of("git@github.com:org/repo.git", true),
                Arguments.of("file://", false),
                Arguments.of("https://", false),
                Arguments.of("https://host.example", false),
                Arguments.of("ftp://host.example/repo", false),
                Arguments.of("/srv/git/repo", true),
                Arguments.of("/", false),
                Arguments.of("//host/repo", false),
                Arguments.of("github.com:org/repo", false),
                Arguments.of("git@github.com://org/repo", false),
                Arguments.of("https://host example/repo", false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("gitUris")
    void gitUriForms(String uri, boolean accepted) {
        assertThat(BuildRequestValidator.isGitUri(uri)).isEqualTo(accepted);
    }

    static Stream<Arguments> isolatedReleases() {
        return Stream.of(Arguments.of("1.2", true), Arguments.of("10.0.1", true), Arguments.of("1.2.el8_3", true),
                Arguments.of("1", false), Arguments.of("1.", false), Arguments.of("a.1", false), Arguments.of(".1.2", false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("isolatedReleases")
    void isolatedReleaseForms(String release, boolean accepted) {
        BuildRequest request = valid().toBuilder().isolated(true).release(release).build();

        assertThat(BuildRequestValidator.validate(request, config).isEmpty()).isEqualTo(accepted);
    }
}
