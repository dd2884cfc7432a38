package io.strata.bench;

import io.strata.kube.streams.GroupConfig;
import io.strata.kube.streams.InMemoryTemplates;
import io.strata.kube.streams.StreamDefinition;
import io.strata.kube.streams.StreamsConfig;
import io.strata.kube.streams.Transform;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated group the size of a large real one: {@code streamCount} streams cycling through the six
 * transforms (every seventh stream has none and is only mirrored), four repositories of which three
 * are enabled for local development, and templates shaped like the real ones.
 */
final class StreamsBenchGroup {
    private StreamsBenchGroup() {}

    static GroupConfig group() {
        Map<String, GroupConfig.Repo> repos = new LinkedHashMap<>();
        repos.put("rhel-8-baseos-rpms", repo(true, "https://example.com/rhel8/baseos/x86_64/", "el8"));
        repos.put("rhel-8-appstream-rpms", repo(true, "https://example.com/rhel8/appstream/x86_64/", "el8"));
        repos.put("rhel-server-ose-rpms", repo(true, "https://example.com/rhel7/ose/x86_64/", "el7"));
        repos.put("rhel-8-fast-datapath-rpms", repo(false, "https://example.com/rhel8/fdp/x86_64/", "el7", "el8"));
        return new GroupConfig(Path.of("group.yml"), "openshift-4.6", Map.of("MAJOR", "4", "MINOR", "6"), repos);
    }

    private static GroupConfig.Repo repo(boolean localdev, String x8664, String... profiles) {
        return new GroupConfig.Repo(new GroupConfig.RepoConf(
                new GroupConfig.Baseurl(Map.of("x86_64", x8664), Map.of()),
                new GroupConfig.CiAlignment(new GroupConfig.Localdev(localdev), List.of(profiles))));
    }

    static StreamsConfig streams(int streamCount) {
        Transform[] transforms = Transform.values();
        Map<String, StreamDefinition> streams = new LinkedHashMap<>();
        for (int i = 0; i < streamCount; i++) {
            String name = "stream-" + i;
            String transform = i % 7 == 6 ? null : transforms[i % 7].id();
            streams.put(name, new StreamDefinition("openshift/" + name + ":v4.6",
                    "registry.ci.openshift.org/ocp/builder:" + name + "-openshift-4.6.art",
                    "registry.ci.openshift.org/ocp/builder:" + name + "-openshift-4.6",
                    transform));
        }
        return new StreamsConfig(Path.of("streams.yml"), streams);
    }

    static InMemoryTemplates templates() {
        Map<Transform, String> templates = new EnumMap<>(Transform.class);
        for (Transform transform : Transform.values()) {
            templates.put(transform, switch (transform) {
                case RHEL_7_CI_BUILD_ROOT, RHEL_8_CI_BUILD_ROOT -> """
                        # Build root template
                        FROM replaced-by-buildconfig
                        RUN INSTALL_PKGS="bc file findutils gcc git hostname jq make rsync tar which zip" && \\
                            yum install -y $INSTALL_PKGS && \\
                            yum clean all
                        RUN mkdir -p /go/src/github.com/openshift && chmod -R g+xw /go
                        WORKDIR /go/src/github.com/openshift
                        """;
                default -> """
                        # Repository template
                        FROM replaced-by-buildconfig
                        ENV GOPATH=/go \\
                            GOCACHE=/tmp/go-build-cache
                        """;
            });
        }
        return new InMemoryTemplates(templates);
    }
}
