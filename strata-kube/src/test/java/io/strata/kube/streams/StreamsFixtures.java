package io.strata.kube.streams;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small groups built in code, so each test shows the input it depends on. */
final class StreamsFixtures {
    static final String TEMPLATE = "FROM replaced-by-buildconfig\n";

    private StreamsFixtures() {}

    static GroupConfig group(Map<String, GroupConfig.Repo> repos) {
        return new GroupConfig(Path.of("group.yml"), "openshift-4.6", Map.of("MAJOR", "4", "MINOR", "6"), repos);
    }

    static GroupConfig groupWithoutRepos() {
        return group(Map.of());
    }

    static GroupConfig.Repo localdevRepo(String x8664Url, String... profiles) {
        return repo(true, new GroupConfig.Baseurl(x8664Url == null ? Map.of() : Map.of("x86_64", x8664Url), Map.of()),
                profiles);
    }

    static GroupConfig.Repo repo(boolean localdev, GroupConfig.Baseurl baseurl, String... profiles) {
        return new GroupConfig.Repo(new GroupConfig.RepoConf(
                baseurl, new GroupConfig.CiAlignment(new GroupConfig.Localdev(localdev), List.of(profiles))));
    }

    static StreamDefinition stream(String transform, String name) {
        return new StreamDefinition("openshift/" + name,
                "registry.ci.openshift.org/ocp/builder:" + name + ".art",
                "registry.ci.openshift.org/ocp/builder:" + name,
                transform);
    }

    static StreamsConfig streams(Object... nameThenDefinition) {
        Map<String, StreamDefinition> streams = new LinkedHashMap<>();
        for (int i = 0; i < nameThenDefinition.length; i += 2) {
            streams.put((String) nameThenDefinition[i], (StreamDefinition) nameThenDefinition[i + 1]);
        }
        return new StreamsConfig(Path.of("streams.yml"), streams);
    }

    /** Ordered map of repos, since their order decides the order of the localdev lines. */
    static Map<String, GroupConfig.Repo> repos(Object... nameThenRepo) {
        Map<String, GroupConfig.Repo> repos = new LinkedHashMap<>();
        for (int i = 0; i < nameThenRepo.length; i += 2) {
            repos.put((String) nameThenRepo[i], (GroupConfig.Repo) nameThenRepo[i + 1]);
        }
        return repos;
    }
}
