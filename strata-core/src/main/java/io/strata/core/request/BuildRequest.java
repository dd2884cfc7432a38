package io.strata.core.request;

import io.strata.core.io.UrlCredentials;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the user asks for: one component built from a git repository at a ref. Immutable; the
 * collections are copied. Validation (reason codes and messages) lives in
 * {@code BuildRequestValidator}; a request that exists is not necessarily valid.
 *
 * @param component     the component name (Koji package), e.g. {@code docker-hello-world}
 * @param gitUri        where the source lives (any URI JGit can clone, including file://)
 * @param gitRef        commit, tag or branch ref to build
 * @param gitBranch     the branch the ref belongs to (recorded; used for names and labels)
 * @param dockerfilePath path of the Dockerfile inside the repository (default {@code Dockerfile})
 * @param target        the Koji target, e.g. {@code candidate}; may be null
 * @param platforms     CPU platforms to build for (Koji arch names: x86_64, aarch64, ...)
 * @param scratch       a scratch build: pushed under a unique tag only, not imported
 * @param isolated      an isolated build of an explicit release: no floating tags
 * @param release       the release label value; null to compute the next free one
 * @param yumRepoUrls   URLs of .repo files to use during the build only
 * @param labels        extra labels to set on the image
 * @param buildArgs     build arguments passed to the builder
 * @param user          who asked (Koji user); may be null
 * @param kojiTaskId    the Koji task this build belongs to; may be null
 * @param priority      scheduling priority, higher first
 * @param networkPolicy what RUN steps may reach ({@link NetworkPolicy} wire name: none, allowlist,
 *                      open); null for the configuration's {@code strata_build_network}. Kept as
 *                      text so that a misspelling is a violation, not a parse error.
 * @param noCache       build even when an earlier build with the same content key could be reused
 *                      or given a new release without a rebuild (docs/builds.md, "Build avoidance")
 */
public record BuildRequest(
        String component,
        String gitUri,
        String gitRef,
        String gitBranch,
        String dockerfilePath,
        String target,
        List<String> platforms,
        boolean scratch,
        boolean isolated,
        String release,
        List<String> yumRepoUrls,
        Map<String, String> labels,
        Map<String, String> buildArgs,
        String user,
        Long kojiTaskId,
        int priority,
        String networkPolicy,
        boolean noCache) {

    public static final String DEFAULT_DOCKERFILE = "Dockerfile";

    public BuildRequest {
        dockerfilePath = dockerfilePath == null || dockerfilePath.isBlank() ? DEFAULT_DOCKERFILE : dockerfilePath;
        platforms = List.copyOf(Objects.requireNonNullElse(platforms, List.of()));
        yumRepoUrls = List.copyOf(Objects.requireNonNullElse(yumRepoUrls, List.of()));
        labels = Map.copyOf(Objects.requireNonNullElse(labels, Map.of()));
        buildArgs = Map.copyOf(Objects.requireNonNullElse(buildArgs, Map.of()));
    }

    /** A request without {@code noCache}: as before build avoidance existed. */
    public BuildRequest(String component, String gitUri, String gitRef, String gitBranch, String dockerfilePath,
            String target, List<String> platforms, boolean scratch, boolean isolated, String release,
            List<String> yumRepoUrls, Map<String, String> labels, Map<String, String> buildArgs, String user,
            Long kojiTaskId, int priority, String networkPolicy) {
        this(component, gitUri, gitRef, gitBranch, dockerfilePath, target, platforms, scratch, isolated, release,
                yumRepoUrls, labels, buildArgs, user, kojiTaskId, priority, networkPolicy, false);
    }

    /**
     * This request as it may be stored and shown: passwords and tokens written into the git URI or a
     * repo URL ({@code https://user:token@host/...}) are masked. The original is only kept in memory
     * for the build that needs it.
     */
    public BuildRequest withoutCredentials() {
        return toBuilder()
                .gitUri(gitUri == null ? null : UrlCredentials.redact(gitUri))
                .yumRepoUrls(yumRepoUrls.stream().map(UrlCredentials::redact).toList())
                .build();
    }

    /**
     * The network policy this request gets under {@code defaultPolicy} (the configuration's
     * {@code strata_build_network}): its own when it names one.
     */
    public BuildRequest withNetworkPolicyOr(NetworkPolicy defaultPolicy) {
        return networkPolicy != null && !networkPolicy.isBlank() ? this
                : toBuilder().networkPolicy(defaultPolicy.wireName()).build();
    }

    /** Like the record's own, but with the URLs' credentials masked: a request may end up in a message. */
    @Override
    public String toString() {
        return "BuildRequest[component=" + component + ", gitUri=" + (gitUri == null ? null : UrlCredentials.redact(gitUri))
                + ", gitRef=" + gitRef + ", gitBranch=" + gitBranch + ", dockerfilePath=" + dockerfilePath
                + ", target=" + target + ", platforms=" + platforms + ", scratch=" + scratch + ", isolated=" + isolated
                + ", release=" + release + ", yumRepoUrls=" + yumRepoUrls.stream().map(UrlCredentials::redact).toList()
                + ", labels=" + labels + ", buildArgs=" + buildArgs + ", user=" + user + ", kojiTaskId=" + kojiTaskId
                + ", priority=" + priority + ", networkPolicy=" + networkPolicy + ", noCache=" + noCache + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .component(component).gitUri(gitUri).gitRef(gitRef).gitBranch(gitBranch)
                .dockerfilePath(dockerfilePath).target(target).platforms(platforms)
                .scratch(scratch).isolated(isolated).release(release).yumRepoUrls(yumRepoUrls)
                .labels(labels).buildArgs(buildArgs).user(user).kojiTaskId(kojiTaskId).priority(priority)
                .networkPolicy(networkPolicy).noCache(noCache);
    }

    /** Fluent builder; every field optional until validation. */
    public static final class Builder {
        private String component;
        private String gitUri;
        private String gitRef;
        private String gitBranch;
        private String dockerfilePath;
        private String target;
        private List<String> platforms = List.of();
        private boolean scratch;
        private boolean isolated;
        private String release;
        private List<String> yumRepoUrls = List.of();
        private Map<String, String> labels = Map.of();
        private Map<String, String> buildArgs = Map.of();
        private String user;
        private Long kojiTaskId;
        private int priority;
        private String networkPolicy;
        private boolean noCache;

        public Builder component(String v) { component = v; return this; }
        public Builder gitUri(String v) { gitUri = v; return this; }
        public Builder gitRef(String v) { gitRef = v; return this; }
        public Builder gitBranch(String v) { gitBranch = v; return this; }
        public Builder dockerfilePath(String v) { dockerfilePath = v; return this; }
        public Builder target(String v) { target = v; return this; }
        public Builder platforms(List<String> v) { platforms = v; return this; }
        public Builder scratch(boolean v) { scratch = v; return this; }
        public Builder isolated(boolean v) { isolated = v; return this; }
        public Builder release(String v) { release = v; return this; }
        public Builder yumRepoUrls(List<String> v) { yumRepoUrls = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder buildArgs(Map<String, String> v) { buildArgs = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder kojiTaskId(Long v) { kojiTaskId = v; return this; }
        public Builder priority(int v) { priority = v; return this; }
        public Builder networkPolicy(String v) { networkPolicy = v; return this; }
        public Builder noCache(boolean v) { noCache = v; return this; }

        public BuildRequest build() {
            return new BuildRequest(component, gitUri, gitRef, gitBranch, dockerfilePath, target, platforms,
                    scratch, isolated, release, yumRepoUrls, labels, buildArgs, user, kojiTaskId, priority,
                    networkPolicy, noCache);
        }
    }
}
