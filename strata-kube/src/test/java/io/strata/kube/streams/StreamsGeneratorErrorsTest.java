package io.strata.kube.streams;

import static io.strata.kube.streams.StreamsFixtures.TEMPLATE;
import static io.strata.kube.streams.StreamsFixtures.group;
import static io.strata.kube.streams.StreamsFixtures.groupWithoutRepos;
import static io.strata.kube.streams.StreamsFixtures.localdevRepo;
import static io.strata.kube.streams.StreamsFixtures.repos;
import static io.strata.kube.streams.StreamsFixtures.stream;
import static io.strata.kube.streams.StreamsFixtures.streams;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way generation fails: the reason code, the message naming the stream, and the fix. */
class StreamsGeneratorErrorsTest {
    private final StreamsGenerator generator = new StreamsGenerator();

    @Test
    void unknownStreamListsTheKnownOnes() {
        var streams = streams("golang", stream("rhel-8/golang", "golang"), "etcd", stream(null, "etcd"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of("golnag")))
                .isInstanceOf(StrataException.class)
                .hasFieldOrPropertyWithValue("reason", "STREAM_NOT_FOUND")
                .hasMessage("stream golnag is not defined in streams.yml")
                .hasFieldOrPropertyWithValue("hint", "use one of: golang, etcd");
    }

    @Test
    void unknownStreamInALargeGroupListsTheFirstTen() {
        Object[] many = new Object[2 * 12];
        for (int i = 0; i < 12; i++) {
            many[2 * i] = "s" + i;
            many[2 * i + 1] = stream(null, "s" + i);
        }

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams(many), List.of("nope")))
                .hasFieldOrPropertyWithValue("hint",
                        "use one of: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, ... (2 more in streams.yml)");
    }

    @Test
    void unknownTransformListsTheValidOnes() {
        var streams = streams("golang", stream("rhel-9/golang", "golang"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "STREAM_UNKNOWN_TRANSFORM")
                .hasMessage("cannot render a BuildConfig for stream golang: transform 'rhel-9/golang' in streams.yml is"
                        + " not one of rhel-7/base-repos, rhel-8/base-repos, rhel-7/golang, rhel-8/golang,"
                        + " rhel-7/ci-build-root, rhel-8/ci-build-root");
    }

    @Test
    void missingUpstreamImageBase() {
        var streams = streams("golang",
                new StreamDefinition("img", null, "registry.ci.openshift.org/ocp/builder:golang", "rhel-8/golang"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "STREAM_UPSTREAM_IMAGE_MISSING")
                .hasMessage("cannot render a BuildConfig for stream golang: streams.yml must define both"
                        + " upstream_image_base and upstream_image");
    }

    @Test
    void missingUpstreamImage() {
        var streams = streams("golang",
                new StreamDefinition("img", "registry.ci.openshift.org/ocp/builder:golang.art", " ", "rhel-8/golang"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "STREAM_UPSTREAM_IMAGE_MISSING")
                .hasMessageContaining("stream golang");
    }

    @Test
    void pullspecWithoutNamespaceOrTag() {
        var streams = streams("golang",
                new StreamDefinition("img", "quay.io/builder.art", "registry.ci.openshift.org/ocp/builder:golang",
                        "rhel-8/golang"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "STREAM_PULLSPEC_INVALID")
                .hasMessage("stream golang: upstream_image_base 'quay.io/builder.art' is not an image stream tag"
                        + " pullspec: expected REGISTRY/NAMESPACE/IMAGESTREAM:TAG");
    }

    @Test
    void tagThatCannotNameABuildConfig() {
        var streams = streams("golang", new StreamDefinition("img", "registry.ci.openshift.org/ocp/builder:golang.art",
                "registry.ci.openshift.org/ocp/builder:Golang_1.15", "rhel-8/golang"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "STREAM_NAME_INVALID")
                .hasMessage("stream golang: the BuildConfig name 'builder-Golang_1.15--art-builder' derived from"
                        + " upstream_image is not a valid Kubernetes name (lower-case letters, digits, '-' and '.',"
                        + " starting and ending with a letter or digit, at most 253 characters)");
    }

    @Test
    void tagTooLongForTheKeepAliveContainer() {
        String tag = "rhel-8-golang-1.15-openshift-4.6-with-a-very-long-suffix-x";
        var streams = streams("golang", new StreamDefinition("img", "registry.ci.openshift.org/ocp/builder:golang.art",
                "registry.ci.openshift.org/ocp/builder:" + tag, "rhel-8/golang"));

        assertThatThrownBy(() -> generate(groupWithoutRepos(), streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "STREAM_NAME_INVALID")
                .hasMessageStartingWith("stream golang: the keep-alive container name 'ocp-builder-" + tag.replace('.', '-')
                        + "' derived from upstream_image is not a valid Kubernetes name (")
                .hasFieldOrPropertyWithValue("hint",
                        "shorten or rename the image stream and tag of upstream_image for stream golang");
    }

    @Test
    void localdevRepoWithoutX8664Baseurl() {
        var group = group(repos("rhel-8-baseos", localdevRepo(null, "el8")));
        var streams = streams("golang", stream("rhel-8/golang", "golang"));

        assertThatThrownBy(() -> generate(group, streams, List.of()))
                .hasFieldOrPropertyWithValue("reason", "REPO_BASEURL_MISSING")
                .hasMessage("cannot add localdev repository for stream golang: repo rhel-8-baseos in group.yml has"
                        + " localdev enabled but no x86_64 baseurl")
                .hasFieldOrPropertyWithValue("hint", "add repos.rhel-8-baseos.conf.baseurl.x86_64 (or"
                        + " baseurl.unsigned.x86_64), or disable ci_alignment.localdev for it");
    }

    @Test
    void localdevRepoOfAnotherProfileNeedsNoBaseurl() throws Exception {
        var group = group(repos("rhel-7-server", localdevRepo(null, "el7")));

        GeneratedObjects objects = generator.generate(group, streams("golang", stream("rhel-8/golang", "golang")),
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams());

        org.assertj.core.api.Assertions.assertThat(objects.buildConfigs()).hasSize(1);
    }

    @Test
    void groupWithoutMajorVar() {
        var group = new GroupConfig(Path.of("g/group.yml"), "openshift-4.6", Map.of("MINOR", "6"), Map.of());

        assertThatThrownBy(() -> generate(group, streams(), List.of()))
                .hasFieldOrPropertyWithValue("reason", "GROUP_CONFIG_INVALID")
                .hasMessage("g/group.yml does not define vars.MAJOR");
    }

    @Test
    void groupWithoutName() {
        var group = new GroupConfig(Path.of("g/group.yml"), null, Map.of("MAJOR", "4", "MINOR", "6"), Map.of());

        assertThatThrownBy(() -> generate(group, streams(), List.of()))
                .hasFieldOrPropertyWithValue("reason", "GROUP_CONFIG_INVALID")
                .hasMessage("g/group.yml does not define name");
    }

    @Test
    void missingTemplateNamesStreamAndFile() {
        var templates = new InMemoryTemplates(Map.of(Transform.RHEL_8_GOLANG, TEMPLATE));
        var streams = streams("golang", stream("rhel-8/golang", "golang"), "base", stream("rhel-7/base-repos", "base"));

        assertThatThrownBy(() -> generator.generate(groupWithoutRepos(), streams, templates, StreamsOptions.allStreams()))
                .hasFieldOrPropertyWithValue("reason", "TRANSFORM_TEMPLATE_MISSING")
                .hasMessage("transform rhel-7/base-repos of stream base has no template:"
                        + " <in-memory template rhel-7/base-repos> does not exist");
    }

    @Test
    void invalidTemplateNamesStreamFileAndLine() {
        var templates = InMemoryTemplates.sameForAll("FROM replaced-by-buildconfig\nFROOM typo\n");
        var streams = streams("golang", stream("rhel-8/golang", "golang"));

        assertThatThrownBy(() -> generator.generate(groupWithoutRepos(), streams, templates, StreamsOptions.allStreams()))
                .hasFieldOrPropertyWithValue("reason", "TRANSFORM_TEMPLATE_INVALID")
                .hasMessage("transform rhel-8/golang of stream golang: <in-memory template rhel-8/golang>:2:"
                        + " unknown instruction: FROOM");
    }

    private GeneratedObjects generate(GroupConfig group, StreamsConfig streams, List<String> names)
            throws StrataException {
        return generator.generate(group, streams, InMemoryTemplates.sameForAll(TEMPLATE),
                new StreamsOptions(names, false));
    }
}
