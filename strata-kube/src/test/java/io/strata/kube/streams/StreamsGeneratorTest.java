package io.strata.kube.streams;

import static io.strata.kube.streams.StreamsFixtures.TEMPLATE;
import static io.strata.kube.streams.StreamsFixtures.group;
import static io.strata.kube.streams.StreamsFixtures.groupWithoutRepos;
import static io.strata.kube.streams.StreamsFixtures.localdevRepo;
import static io.strata.kube.streams.StreamsFixtures.repos;
import static io.strata.kube.streams.StreamsFixtures.stream;
import static io.strata.kube.streams.StreamsFixtures.streams;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Dockerfile;
import io.strata.kube.streams.wire.BuildConfigObject;
import io.strata.kube.streams.wire.DaemonSetObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamsGeneratorTest {
    private static final String EL8_LOCALDEV = "RUN echo -e '[localdev-baseos]\\nname = localdev-baseos\\nid = localdev-baseos"
            + "\\nbaseurl = https://example.com/el8/\\nenabled = 1\\ngpgcheck = 0\\n' > /etc/yum.repos.d/localdev-baseos.repo";
    private static final String EL7_LOCALDEV = "RUN echo -e '[localdev-server]\\nname = localdev-server\\nid = localdev-server"
            + "\\nbaseurl = https://example.com/el7/\\nenabled = 1\\ngpgcheck = 0\\n' > /etc/yum.repos.d/localdev-server.repo";
    private static final String EL8_MIRROR =
            "RUN rm -rf /etc/yum.repos.d/*.repo && curl http://base-4-6-rhel8.ocp.svc > /etc/yum.repos.d/ci-rpm-mirrors.repo";
    private static final String EL8_SKIP = "RUN yum config-manager --setopt=skip_if_unavailable=True --save";
    private static final String EL7_MIRROR =
            "RUN rm -rf /etc/yum.repos.d/*.repo && curl http://base-4-6.ocp.svc > /etc/yum.repos.d/ci-rpm-mirrors.repo";
    private static final String EL7_SKIP = "RUN yum-config-manager --save '--setopt=*.skip_if_unavailable=True'";

    private final StreamsGenerator generator = new StreamsGenerator();

    static Stream<Arguments> repoLinesByTransform() {
        return Stream.of(
                Arguments.of("rhel-8/base-repos", List.of(EL8_MIRROR, EL8_SKIP, EL8_LOCALDEV)),
                Arguments.of("rhel-8/golang", List.of(EL8_MIRROR, EL8_SKIP, EL8_LOCALDEV)),
                Arguments.of("rhel-7/base-repos", List.of(EL7_MIRROR, EL7_LOCALDEV, EL7_SKIP)),
                Arguments.of("rhel-7/golang", List.of(EL7_MIRROR, EL7_LOCALDEV, EL7_SKIP)),
                Arguments.of("rhel-8/ci-build-root", List.of()),
                Arguments.of("rhel-7/ci-build-root", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repoLinesByTransform")
    void appendsTheRepositoryLinesOfEachTransform(String transform, List<String> expectedLines) throws Exception {
        var group = group(repos(
                "baseos", localdevRepo("https://example.com/el8/", "el8"),
                "server", localdevRepo("https://example.com/el7/", "el7")));

        GeneratedObjects objects = generator.generate(group, streams("s", stream(transform, "s")),
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams());

        String dockerfile = objects.buildConfigs().getFirst().spec().source().dockerfile();
        List<String> runLines = dockerfile.lines().filter(line -> line.startsWith("RUN ")).toList();
        assertThat(runLines).isEqualTo(expectedLines);
    }

    @Test
    void marksTheImageAsBuiltInCiAndLabelsIt() throws Exception {
        GeneratedObjects objects = generator.generate(groupWithoutRepos(),
                streams("golang", stream("rhel-8/golang", "golang-1.15")),
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams());

        Dockerfile dockerfile = Dockerfile.parse(objects.buildConfigs().getFirst().spec().source().dockerfile());
        assertThat(dockerfile.envs()).containsEntry("OPENSHIFT_CI", "true");
        assertThat(dockerfile.labels()).containsEntry("io.k8s.display-name", "builder-golang-1.15")
                .containsEntry("io.k8s.description", "ART equivalent image openshift-4.6-golang - rhel-8/golang");
    }

    @Test
    void buildConfigBuildsFromTheIntermediateTagIntoTheCiTag() throws Exception {
        var streams = streams("rhel-8-base", new StreamDefinition("openshift/ose-base:ubi8",
                "registry.ci.openshift.org/ocp/builder:rhel-8-base-openshift-4.6.art",
                "registry.ci.openshift.org/ocp/release:rhel-8-base-openshift-4.6",
                "rhel-8/base-repos"));

        BuildConfigObject bc = generator.generate(groupWithoutRepos(), streams,
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams()).buildConfigs().getFirst();

        assertThat(bc.apiVersion()).isEqualTo("build.openshift.io/v1");
        assertThat(bc.metadata().name()).isEqualTo("release-rhel-8-base-openshift-4.6--art-builder");
        assertThat(bc.metadata().namespace()).isEqualTo("ci");
        assertThat(bc.metadata().labels()).containsExactly(
                Map.entry("art-builder-group", "openshift-4.6"), Map.entry("art-builder-stream", "rhel-8-base"));
        assertThat(bc.spec().output().to().namespace()).isEqualTo("ocp");
        assertThat(bc.spec().output().to().name()).isEqualTo("release:rhel-8-base-openshift-4.6");
        var from = bc.spec().strategy().dockerStrategy().from();
        assertThat(List.of(from.kind(), from.namespace(), from.name()))
                .containsExactly("ImageStreamTag", "ocp", "builder:rhel-8-base-openshift-4.6.art");
        assertThat(bc.spec().strategy().dockerStrategy().imageOptimizationPolicy()).isEqualTo("SkipLayers");
        assertThat(bc.spec().triggers()).containsExactly(BuildConfigObject.Trigger.onBaseImageChange());
        assertThat(List.of(bc.spec().failedBuildsHistoryLimit(), bc.spec().successfulBuildsHistoryLimit()))
                .containsExactly(2, 2);
    }

    @Test
    void daemonSetKeepsEveryCiImageAliveWhenAllStreamsAreRendered() throws Exception {
        var streams = streams(
                "golang", stream("rhel-8/golang", "rhel-8-golang-1.15"),
                "etcd", new StreamDefinition("openshift/etcd", null, "registry.ci.openshift.org/ocp/4.6:etcd", null),
                "base", stream("rhel-7/base-repos", "rhel-7-base"));

        GeneratedObjects objects = generator.generate(groupWithoutRepos(), streams,
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams());

        assertThat(objects.buildConfigs()).extracting(bc -> bc.metadata().labels().get("art-builder-stream"))
                .containsExactly("golang", "base");
        DaemonSetObject ds = objects.daemonSet().orElseThrow();
        assertThat(ds.metadata().name()).isEqualTo("art-managed-openshift-4.6-dont-gc-me-bro");
        assertThat(ds.spec().selector().matchLabels()).isEqualTo(Map.of("app", ds.metadata().name()));
        assertThat(ds.spec().template().metadata().labels()).isEqualTo(Map.of("app", ds.metadata().name()));
        assertThat(ds.spec().template().spec().containers())
                .extracting(DaemonSetObject.Container::name, DaemonSetObject.Container::image)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ocp-builder-rhel-8-golang-1-15",
                                "registry.ci.openshift.org/ocp/builder:rhel-8-golang-1.15"),
                        org.assertj.core.groups.Tuple.tuple("ocp-builder-rhel-7-base",
                                "registry.ci.openshift.org/ocp/builder:rhel-7-base"));
    }

    @Test
    void namedStreamsAreRenderedInTheGivenOrderOnceEachAndWithoutDaemonSet() throws Exception {
        var streams = streams("a", stream("rhel-8/golang", "a"), "b", stream("rhel-8/golang", "b"),
                "c", stream("rhel-8/golang", "c"));

        GeneratedObjects objects = generator.generate(groupWithoutRepos(), streams,
                InMemoryTemplates.sameForAll(TEMPLATE), new StreamsOptions(List.of("c", "a", "c"), false));

        assertThat(objects.buildConfigs()).extracting(bc -> bc.metadata().name())
                .containsExactly("builder-c--art-builder", "builder-a--art-builder");
        assertThat(objects.daemonSet()).isEmpty();
    }

    @Test
    void streamsWithoutTransformProduceNothingNotEvenADaemonSet() throws Exception {
        var streams = streams("etcd",
                new StreamDefinition("openshift/etcd", null, "registry.ci.openshift.org/ocp/4.6:etcd", null));

        GeneratedObjects objects = generator.generate(groupWithoutRepos(), streams,
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams());

        assertThat(objects.isEmpty()).isTrue();
        assertThat(objects.summary()).isEqualTo("0 BuildConfigs");
    }

    @Test
    void liveTestModeSuffixesGroupLabelAndTags() throws Exception {
        GeneratedObjects objects = generator.generate(groupWithoutRepos(), streams("golang", stream("rhel-8/golang", "go")),
                InMemoryTemplates.sameForAll(TEMPLATE), new StreamsOptions(List.of(), true));

        BuildConfigObject bc = objects.buildConfigs().getFirst();
        assertThat(bc.metadata().name()).isEqualTo("builder-go.test--art-builder");
        assertThat(bc.metadata().labels()).containsEntry("art-builder-group", "openshift-4.6.test");
        assertThat(bc.spec().output().to().name()).isEqualTo("builder:go.test");
        assertThat(bc.spec().strategy().dockerStrategy().from().name()).isEqualTo("builder:go.art.test");
        assertThat(Dockerfile.parse(bc.spec().source().dockerfile()).labels())
                .containsEntry("io.k8s.description", "ART equivalent image openshift-4.6.test-golang - rhel-8/golang");
        DaemonSetObject ds = objects.daemonSet().orElseThrow();
        assertThat(ds.metadata().name()).isEqualTo("art-managed-openshift-4.6.test-dont-gc-me-bro");
        // doozer labels the DaemonSet with the plain group name even in live-test mode; kept for parity.
        assertThat(ds.metadata().labels()).containsEntry("art-builder-group", "openshift-4.6");
        assertThat(ds.spec().template().spec().containers().getFirst().name()).isEqualTo("ocp-builder-go-test");
    }

    @Test
    void localdevUsesTheUnsignedUrlWhenThereIsOneAndSkipsReposNotEnabledForTheProfile() throws Exception {
        var group = group(repos(
                "ose", StreamsFixtures.repo(true, new GroupConfig.Baseurl(
                        Map.of("x86_64", "https://example.com/signed/"), Map.of("x86_64", "https://example.com/unsigned/")),
                        "el8"),
                "disabled", StreamsFixtures.repo(false, new GroupConfig.Baseurl(Map.of("x86_64", "https://example.com/d/"),
                        Map.of()), "el8"),
                "el7-only", localdevRepo("https://example.com/el7/", "el7")));

        String dockerfile = generator.generate(group, streams("s", stream("rhel-8/base-repos", "s")),
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams())
                .buildConfigs().getFirst().spec().source().dockerfile();

        assertThat(dockerfile.lines().filter(line -> line.contains("localdev-")).toList()).containsExactly(
                "RUN echo -e '[localdev-ose]\\nname = localdev-ose\\nid = localdev-ose\\nbaseurl = https://example.com/unsigned/"
                        + "\\nenabled = 1\\ngpgcheck = 0\\n' > /etc/yum.repos.d/localdev-ose.repo");
    }
}
