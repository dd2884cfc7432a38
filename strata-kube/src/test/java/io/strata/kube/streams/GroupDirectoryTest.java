package io.strata.kube.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupDirectoryTest {
    private static final String GROUP_YML = """
            name: openshift-4.7
            arches: [x86_64, s390x]   # read by other tools, ignored here
            vars:
              MAJOR: 4
              MINOR: 7
            repos:
              rhel-8-baseos:
                conf:
                  baseurl:
                    x86_64: https://example.com/rhaos-{MAJOR}.{MINOR}/x86_64/
                    unsigned:
                      x86_64: https://example.com/unsigned/x86_64/
                  ci_alignment:
                    localdev:
                      enabled: true
                    profiles: [el8]
                content_set:
                  default: rhel-8-baseos
              plain:
                conf:
                  baseurl:
                    x86_64: https://example.com/plain/
            """;

    @TempDir
    Path dir;

    @Test
    void readsGroupYmlSubstitutingItsVars() throws Exception {
        write("group.yml", GROUP_YML);

        GroupConfig group = new GroupDirectory(dir).readGroupConfig();

        assertThat(group.source()).isEqualTo(dir.resolve("group.yml"));
        assertThat(group.name()).isEqualTo("openshift-4.7");
        assertThat(group.vars()).isEqualTo(Map.of("MAJOR", "4", "MINOR", "7"));
        assertThat(group.repos()).containsOnlyKeys("rhel-8-baseos", "plain");
        GroupConfig.RepoConf baseos = group.repos().get("rhel-8-baseos").conf();
        assertThat(baseos.baseurl().signed()).isEqualTo(Map.of("x86_64", "https://example.com/rhaos-4.7/x86_64/"));
        assertThat(baseos.baseurl().forArch("x86_64")).contains("https://example.com/unsigned/x86_64/");
        assertThat(baseos.ciAlignment().localdevFor("el8")).isTrue();
        assertThat(baseos.ciAlignment().localdevFor("el7")).isFalse();
        GroupConfig.RepoConf plain = group.repos().get("plain").conf();
        assertThat(plain.ciAlignment().localdevFor("el8")).isFalse();
        assertThat(plain.baseurl().forArch("x86_64")).contains("https://example.com/plain/");
    }

    @Test
    void readsStreamsInFileOrderWithVarsSubstituted() throws Exception {
        write("group.yml", GROUP_YML);
        write("streams.yml", """
                golang:
                  image: openshift/golang-builder:rhel_8_golang_1.15
                  upstream_image_base: registry.ci.openshift.org/ocp/builder:golang-{MAJOR}.{MINOR}.art
                  upstream_image: registry.ci.openshift.org/ocp/builder:golang-{MAJOR}.{MINOR}
                  transform: rhel-8/golang
                  mirror: true
                empty:
                base:
                  image: openshift/ose-base:{UNDEFINED}
                """);
        var directory = new GroupDirectory(dir);

        StreamsConfig streams = directory.readStreamsConfig(directory.readGroupConfig());

        assertThat(streams.names()).containsExactly("golang", "empty", "base");
        assertThat(streams.find("golang")).contains(new StreamDefinition("openshift/golang-builder:rhel_8_golang_1.15",
                "registry.ci.openshift.org/ocp/builder:golang-4.7.art", "registry.ci.openshift.org/ocp/builder:golang-4.7",
                "rhel-8/golang"));
        assertThat(streams.find("empty")).contains(new StreamDefinition(null, null, null, null));
        // Braces that are not group vars are left as written.
        assertThat(streams.find("base").orElseThrow().image()).isEqualTo("openshift/ose-base:{UNDEFINED}");
    }

    @Test
    void servesTemplatesFromStreamsTransforms() throws Exception {
        write("streams_transforms/rhel-8/golang/Dockerfile", "FROM scratch\n");
        var directory = new GroupDirectory(dir);

        assertThat(directory.load(Transform.RHEL_8_GOLANG)).contains("FROM scratch\n");
        assertThat(directory.load(Transform.RHEL_7_GOLANG)).isEmpty();
        assertThat(directory.location(Transform.RHEL_7_GOLANG))
                .isEqualTo(dir.resolve("streams_transforms/rhel-7/golang/Dockerfile").toString());
    }

    @Test
    void missingGroupYml() {
        assertThatThrownBy(() -> new GroupDirectory(dir).readGroupConfig())
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_MISSING")
                .hasMessage("group file " + dir.resolve("group.yml") + " does not exist");
    }

    @Test
    void missingStreamsYml() throws Exception {
        write("group.yml", GROUP_YML);
        var directory = new GroupDirectory(dir);
        GroupConfig group = directory.readGroupConfig();

        assertThatThrownBy(() -> directory.readStreamsConfig(group))
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_MISSING")
                .hasMessage("streams file " + dir.resolve("streams.yml") + " does not exist");
    }

    @Test
    void malformedYamlReportsFileAndLine() throws Exception {
        write("group.yml", "name: openshift-4.6\nvars:\n  MAJOR: 4\n  MINOR: 6\n   repos: {}\n");

        assertThatThrownBy(() -> new GroupDirectory(dir).readGroupConfig())
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_INVALID")
                .hasMessageStartingWith(dir.resolve("group.yml") + ":5: ");
    }

    @Test
    void wrongShapeReportsFileLineAndPath() throws Exception {
        write("group.yml", GROUP_YML);
        write("streams.yml", "golang:\n  image: x\n  transform:\n    - rhel-8/golang\n");
        var directory = new GroupDirectory(dir);
        GroupConfig group = directory.readGroupConfig();

        assertThatThrownBy(() -> directory.readStreamsConfig(group))
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_INVALID")
                .hasMessageStartingWith(dir.resolve("streams.yml") + ":4: at golang.transform: ");
    }

    @Test
    void streamDefinedTwiceIsAnError() throws Exception {
        write("group.yml", GROUP_YML);
        write("streams.yml", "golang:\n  image: a\nbase:\n  image: b\ngolang:\n  image: c\n");
        var directory = new GroupDirectory(dir);
        GroupConfig group = directory.readGroupConfig();

        assertThatThrownBy(() -> directory.readStreamsConfig(group))
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_INVALID")
                .hasMessageStartingWith(dir.resolve("streams.yml") + ":5: ")
                .hasMessageContaining("Duplicate field 'golang'");
    }

    @Test
    void unsignedBaseurlMustBeAMap() throws Exception {
        write("group.yml", "name: g\nrepos:\n  r:\n    conf:\n      baseurl:\n        unsigned: https://example.com/\n");

        assertThatThrownBy(() -> new GroupDirectory(dir).readGroupConfig())
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_INVALID")
                .hasMessageContaining(dir.resolve("group.yml") + ":")
                .hasMessageContaining("baseurl.unsigned must map architectures to URLs");
    }

    @Test
    void emptyStreamsYml() throws Exception {
        write("group.yml", GROUP_YML);
        write("streams.yml", "# nothing yet\n");
        var directory = new GroupDirectory(dir);
        GroupConfig group = directory.readGroupConfig();

        assertThatThrownBy(() -> directory.readStreamsConfig(group))
                .hasFieldOrPropertyWithValue("reason", "GROUP_FILE_INVALID")
                .hasMessage(dir.resolve("streams.yml") + ": the file is empty");
    }

    @Test
    void groupVarsLeaveUnknownNamesAndOtherBracesAlone() {
        var vars = new GroupVars(Map.of("MAJOR", "4", "MINOR", "6"));

        assertThat(List.of(
                vars.expand("rhaos-{MAJOR}.{MINOR}-rhel-8"),
                vars.expand("${HOME}/{OTHER}/{MAJOR"),
                vars.expand("no braces")))
                .containsExactly("rhaos-4.6-rhel-8", "${HOME}/{OTHER}/{MAJOR", "no braces");
    }

    private void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
