package io.strata.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuildNamesTest {

    static Stream<Arguments> buildConfigNames() {
        return Stream.of(
                Arguments.of("git://github.com/sosiouxme/docker-hello-world", "osbs-box-demo", "docker-hello-world-osbs-box-demo-f7644"),
                Arguments.of("https://git.example/Org/My_Repo.git", "Feature/X", "myrepo-featurex-ff5d3"),
                Arguments.of("git@host.example:group/tool.git", null, "tool-unknown-8ef1d"),
                Arguments.of("file:///srv/git/a-very-long-repository-name-that-keeps-going/", "and-a-branch-name-that-is-long-too",
                        "a-very-long-repository-and-a-branch-name-that-a1076"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("buildConfigNames")
    void buildConfigNamesFollowOsbsClient(String uri, String branch, String expected) {
        String name = BuildNames.buildConfigName(uri, branch);

        assertThat(name).isEqualTo(expected).hasSizeLessThanOrEqualTo(BuildNames.MAX_NAME_LENGTH).matches("[a-z0-9-]+");
    }

    @Test
    void imageTagsNameUserComponentTargetNumberAndTime() {
        Instant at = Instant.parse("2018-04-25T18:29:51Z");

        assertThat(BuildNames.imageTag("kojiadmin", "hello", "candidate", 32571, at)).isEqualTo("kojiadmin/hello:candidate-32571-20180425182951");
        assertThat(BuildNames.imageTag(null, "hello", null, 10000, at)).isEqualTo("hello:none-10000-20180425182951");
    }

    @Test
    void labelValuesAreMadeValid() {
        assertThat(BuildNames.labelValue("feature/x")).isEqualTo("featurex");
        assertThat(BuildNames.labelValue("-.rel_1.")).isEqualTo("rel_1");
        assertThat(BuildNames.labelValue("a".repeat(70))).hasSize(63);
    }
}
