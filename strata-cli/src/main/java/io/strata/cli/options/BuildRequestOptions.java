package io.strata.cli.options;

import io.strata.core.StrataException;
import io.strata.core.request.BuildRequest;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The build flags osbs-client users know, plus Strata's own, producing a {@link BuildRequest}.
 * Shared by {@code strata render} and {@code strata build}. Nothing is checked here:
 * {@code BuildRequestValidator} gives every mistake its reason code.
 */
public final class BuildRequestOptions {
    /** The reason of --arch-override on a build that is neither scratch nor isolated. */
    public static final String ARCH_OVERRIDE_NOT_ALLOWED = "ARCH_OVERRIDE_NOT_ALLOWED";

    @Option(names = "--component", paramLabel = "NAME", description = "Component (Koji package) to build.")
    String component;

    @Option(names = "--git-uri", paramLabel = "URI", description = "Git repository holding the source.")
    String gitUri;

    @Option(names = "--git-ref", paramLabel = "REF", description = "Commit, tag or branch to build.")
    String gitRef;

    @Option(names = "--git-branch", paramLabel = "BRANCH", description = "Branch the ref belongs to.")
    String gitBranch;

    @Option(names = "--target", paramLabel = "TARGET", description = "Koji target, e.g. candidate.")
    String target;

    @Option(names = "--platforms", paramLabel = "PLATFORM", split = ",",
            description = "Platforms to build for; comma-separated or repeated (default: every configured platform).")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--arch-override", paramLabel = "PLATFORM", split = ",",
            description = "Scratch and isolated builds only, as in osbs-client: build these platforms instead of"
                    + " --platforms; comma-separated or repeated.")
    List<String> archOverride = new ArrayList<>();

    @Option(names = "--user", paramLabel = "USER", description = "Who asks (Koji user); prefixes the image name.")
    String user;

    @Option(names = "--koji-task-id", paramLabel = "ID", description = "Koji task this build belongs to.")
    Long kojiTaskId;

    @Option(names = "--scratch", description = "Scratch build: pushed under a unique tag only, no floating tags.")
    boolean scratch;

    @Option(names = "--isolated", description = "Isolated build of an existing release (needs --release N.N).")
    boolean isolated;

    @Option(names = "--release", paramLabel = "RELEASE", description = "Release label value.")
    String release;

    @Option(names = "--yum-repourls", paramLabel = "URL", split = ",",
            description = "URLs of .repo files used during the build only; comma-separated or repeated.")
    List<String> yumRepoUrls = new ArrayList<>();

    @Option(names = "--dockerfile", paramLabel = "PATH",
            description = "Dockerfile path inside the repository (default: " + BuildRequest.DEFAULT_DOCKERFILE + ").")
    String dockerfilePath;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label to set on the image; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "Build argument; repeatable.")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(names = "--priority", paramLabel = "N", description = "Scheduling priority, higher first (default: 0).")
    int priority;

    @Option(names = "--network-policy", paramLabel = "POLICY",
            description = "What RUN steps may reach: none, allowlist (yum repos, registry, strata_build_network_allow)"
                    + " or open; default strata_build_network, within strata_build_network_permit.")
    String networkPolicy;

    @Option(names = "--no-cache", description = "Build even when an earlier build with the same inputs could be reused"
            + " (docs/builds.md, \"Build avoidance\").")
    boolean noCache;

    public BuildRequest toBuildRequest() throws StrataException {
        if (!archOverride.isEmpty() && !scratch && !isolated) {
            // osbs-client and koji-containerbuild allow it only there: a release of every platform is never narrowed.
            throw new StrataException(ARCH_OVERRIDE_NOT_ALLOWED, "--arch-override " + String.join(",", archOverride)
                    + " is for scratch and isolated builds only",
                    "add --scratch (or --isolated --release N.N), or pass the platforms with --platforms");
        }
        return BuildRequest.builder()
                .component(component).gitUri(localPathAsUri(gitUri)).gitRef(gitRef).gitBranch(gitBranch)
                .dockerfilePath(dockerfilePath).target(target).platforms(archOverride.isEmpty() ? platforms : archOverride)
                .scratch(scratch).isolated(isolated).release(release).yumRepoUrls(yumRepoUrls)
                .labels(labels).buildArgs(buildArgs).user(user).kojiTaskId(kojiTaskId).priority(priority)
                .networkPolicy(networkPolicy).noCache(noCache)
                .build();
    }

    /**
     * A local path to a repository, as git takes one ({@code /srv/repo}, {@code ./repo}), becomes a
     * file URI resolved against this process's working directory: the build may run elsewhere, and
     * the record should say which repository it was. Git's rule tells a path from its scp-like
     * {@code host:path} form: a colon before the first slash. Anything else is passed on as given.
     */
    static String localPathAsUri(String given) {
        if (given == null || given.isBlank() || given.contains("://")) {
            return given;
        }
        int colon = given.indexOf(':');
        int slash = given.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash)) {
            return given;
        }
        try {
            Path path = Path.of(given);
            return Files.isDirectory(path) ? path.toAbsolutePath().normalize().toUri().toString() : given;
        } catch (InvalidPathException notAPath) {
            return given;
        }
    }

    /** The flag that sets each request field (osbs-client's field names), so a fix can name it. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("component", "--component"), Map.entry("git_uri", "--git-uri"), Map.entry("git_ref", "--git-ref"),
            Map.entry("git_branch", "--git-branch"), Map.entry("target", "--target"), Map.entry("platforms", "--platforms"),
            Map.entry("user", "--user"), Map.entry("koji_task_id", "--koji-task-id"), Map.entry("scratch", "--scratch"),
            Map.entry("isolated", "--isolated"), Map.entry("release", "--release"),
            Map.entry("yum_repourls", "--yum-repourls"), Map.entry("dockerfile", "--dockerfile"),
            Map.entry("labels", "--label"), Map.entry("build_args", "--build-arg"), Map.entry("priority", "--priority"),
            Map.entry("network_policy", "--network-policy"), Map.entry("no_cache", "--no-cache"));

    /** The command-line flag for a request field such as {@code git_uri}. */
    public static java.util.Optional<String> flagFor(String field) {
        return java.util.Optional.ofNullable(FLAGS.get(field));
    }
}
