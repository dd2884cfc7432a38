package io.strata.kube.streams;

import io.strata.core.StrataException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The RUN lines that point an image's yum at CI: the RPM mirror service of the group's release
 * ({@code base-MAJOR-MINOR[-rhel8].ocp.svc}), skip_if_unavailable so builds work before ART mirrors a
 * new release, and a "localdev" repository per group.yml repo that opts in, so that a developer on the
 * VPN can still install RPMs when the image is used outside CI.
 */
final class RepoLines {
    private static final String MIRROR_REPO_FILE = "/etc/yum.repos.d/ci-rpm-mirrors.repo";

    private final GroupConfig group;
    private final String major;
    private final String minor;
    // The localdev lines depend only on the profile; computed once per run, not once per stream.
    private final Map<Transform.RhelRelease, List<String>> localdevByRelease = new EnumMap<>(Transform.RhelRelease.class);

    RepoLines(GroupConfig group, String major, String minor) {
        this.group = group;
        this.major = major;
        this.minor = minor;
    }

    /** The lines to append for a stream, in doozer's order; none for transforms that keep their repos. */
    List<String> forStream(String stream, Transform transform) throws StrataException {
        if (!transform.replacesRepos()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        switch (transform.rhel()) {
            case RHEL_8 -> {
                lines.add("RUN rm -rf /etc/yum.repos.d/*.repo && curl http://base-" + major + "-" + minor
                        + "-rhel8.ocp.svc > " + MIRROR_REPO_FILE);
                lines.add("RUN yum config-manager --setopt=skip_if_unavailable=True --save");
                lines.addAll(localdev(stream, transform.rhel()));
            }
            case RHEL_7 -> {
                lines.add("RUN rm -rf /etc/yum.repos.d/*.repo && curl http://base-" + major + "-" + minor
                        + ".ocp.svc > " + MIRROR_REPO_FILE);
                lines.addAll(localdev(stream, transform.rhel()));
                // RHEL 7 yum has no global option in config-manager; set it on every repo instead.
                lines.add("RUN yum-config-manager --save '--setopt=*.skip_if_unavailable=True'");
            }
        }
        return lines;
    }

    private List<String> localdev(String stream, Transform.RhelRelease release) throws StrataException {
        List<String> cached = localdevByRelease.get(release);
        if (cached == null) {
            cached = localdevLines(stream, release.localdevProfile());
            localdevByRelease.put(release, cached);
        }
        return cached;
    }

    private List<String> localdevLines(String stream, String profile) throws StrataException {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, GroupConfig.Repo> entry : group.repos().entrySet()) {
            GroupConfig.RepoConf conf = entry.getValue().conf();
            if (!conf.ciAlignment().localdevFor(profile)) {
                continue;
            }
            // CI builds only x86_64 images, so only that URL matters.
            String baseurl = conf.baseurl().forArch("x86_64")
                    .orElseThrow(() -> StreamsErrors.missingX8664Baseurl(stream, entry.getKey(), group.source()));
            lines.add(localdevRepoLine("localdev-" + entry.getKey(), baseurl));
        }
        return List.copyOf(lines);
    }

    /** A RUN line writing a yum .repo file; the {@code \n} are for {@code echo -e}, not Java newlines. */
    private static String localdevRepoLine(String repo, String baseurl) {
        return "RUN echo -e '[" + repo + "]\\nname = " + repo + "\\nid = " + repo + "\\nbaseurl = " + baseurl
                + "\\nenabled = 1\\ngpgcheck = 0\\n' > /etc/yum.repos.d/" + repo + ".repo";
    }
}
