package io.strata.core.request;

import io.strata.core.config.Configuration;
import io.strata.core.io.UrlCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link BuildRequest} against itself and the configuration before anything runs. A user
 * mistake becomes a {@link Violation} (reason code, field, message), never an exception from deep
 * inside a build; every violation is found in one pass.
 */
public final class BuildRequestValidator {
    public static final int MIN_PRIORITY = -100;
    public static final int MAX_PRIORITY = 100;

    /** osbs-client's rule: an isolated build rebuilds an existing release such as 1.2 or 1.2.3. */
    static final Pattern ISOLATED_RELEASE = Pattern.compile("^\\d+\\.\\d+(\\..+)?$");
    /** The release is the R of the image's NVR, so '-' (the NVR separator) may not appear. */
    static final Pattern RELEASE = Pattern.compile("^[A-Za-z0-9_.]+$");
    /** A repository path component as the distribution registry accepts it. */
    static final Pattern COMPONENT = Pattern.compile("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$");
    static final Pattern LABEL_KEY = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?$");
    static final Pattern BUILD_ARG_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    /** git's scp-like syntax, {@code user@host:path}. */
    static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!//)\\S+$");
    private static final Set<String> GIT_SCHEMES = Set.of("http", "https", "git", "ssh", "git+ssh", "file");
    private static final Set<String> REPO_URL_SCHEMES = Set.of("http", "https", "ftp", "file");

    private BuildRequestValidator() {}

    /** Every violation of {@code request}; empty when it can be built. */
    public static List<Violation> validate(BuildRequest request, Configuration config) {
        List<Violation> violations = new ArrayList<>();
        checkSource(request, violations);
        checkKind(request, violations);
        checkPlatforms(request, config, violations);
        checkLabelsAndArgs(request, violations);
        if (request.priority() < MIN_PRIORITY || request.priority() > MAX_PRIORITY) {
            violations.add(new Violation(ReasonCode.PRIORITY_OUT_OF_RANGE, "priority",
                    "priority " + request.priority() + " is outside " + MIN_PRIORITY + ".." + MAX_PRIORITY,
                    "set priority to a number from " + MIN_PRIORITY + " to " + MAX_PRIORITY + " (higher runs first)"));
        }
        for (String url : request.yumRepoUrls()) {
            if (!hasScheme(url, REPO_URL_SCHEMES)) {
                violations.add(new Violation(ReasonCode.INVALID_YUM_REPO_URL, "yum_repourls",
                        "'" + UrlCredentials.redact(url) + "' is not an http(s), ftp or file URL",
                        "give the http(s), ftp or file URL of a .repo file in yum_repourls"));
            }
        }
        checkNetworkPolicy(request, config, violations);
        if (request.kojiTaskId() != null && request.kojiTaskId() <= 0) {
            violations.add(new Violation(ReasonCode.INVALID_KOJI_TASK_ID, "koji_task_id",
                    "Koji task id " + request.kojiTaskId() + " is not positive",
                    "set koji_task_id to the id of the Koji task, or leave it out"));
        }
        return List.copyOf(violations);
    }

    /** Returns quietly when the request is valid; otherwise throws with every violation. */
    public static void requireValid(BuildRequest request, Configuration config) throws InvalidBuildRequestException {
        List<Violation> violations = validate(request, config);
        if (!violations.isEmpty()) {
            throw new InvalidBuildRequestException(violations);
        }
    }

    private static void checkSource(BuildRequest request, List<Violation> violations) {
        if (isBlank(request.component())) {
            violations.add(new Violation(ReasonCode.MISSING_COMPONENT, "component",
                    "no component given", "set component to the name of the component (Koji package) to build"));
        } else if (!COMPONENT.matcher(request.component()).matches()) {
            violations.add(new Violation(ReasonCode.INVALID_COMPONENT, "component",
                    "'" + request.component() + "' cannot be an image name",
                    "spell component with lower-case letters and digits, separated by '.', '_' or '-'"));
        }
        if (isBlank(request.gitUri())) {
            violations.add(new Violation(ReasonCode.MISSING_GIT_URI, "git_uri",
                    "no git URI given", "set git_uri to the repository holding the source, e.g. https://host/repo.git"));
        } else if (!isGitUri(request.gitUri())) {
            violations.add(new Violation(ReasonCode.MALFORMED_GIT_URI, "git_uri",
                    "'" + UrlCredentials.redact(request.gitUri()) + "' is not a git URI",
                    "write git_uri as https://host/repo.git, git://host/repo, ssh://user@host/repo, file:///path, /path/to/repo or user@host:path"));
        }
        if (isBlank(request.gitRef())) {
            violations.add(new Violation(ReasonCode.MISSING_GIT_REF, "git_ref",
                    "no git ref given", "set git_ref to the commit, tag or branch to build"));
        }
        if (!insideRepository(request.dockerfilePath())) {
            violations.add(new Violation(ReasonCode.INVALID_DOCKERFILE_PATH, "dockerfile",
                    "'" + request.dockerfilePath() + "' is not inside the repository",
                    "give dockerfile as a path relative to the repository root, without '..'"));
        }
    }

    private static void checkKind(BuildRequest request, List<Violation> violations) {
        if (request.scratch() && request.isolated()) {
            violations.add(new Violation(ReasonCode.SCRATCH_AND_ISOLATED, "isolated",
                    "a build cannot be both scratch and isolated", "set only one of scratch and isolated"));
        }
        String release = request.release();
        if (!isBlank(release) && !RELEASE.matcher(release).matches()) {
            violations.add(new Violation(ReasonCode.INVALID_RELEASE, "release",
                    "release '" + release + "' has characters a release cannot have ('-' separates N-V-R)",
                    "spell release with letters, digits, '_' and '.' only"));
        }
        if (request.isolated() && (isBlank(release) || !ISOLATED_RELEASE.matcher(release).matches())) {
            violations.add(new Violation(ReasonCode.ISOLATED_WITHOUT_RELEASE, "release",
                    isBlank(release) ? "an isolated build needs a release" : "release '" + release + "' does not match ^\\d+\\.\\d+(\\..+)?$",
                    "set release to the release being rebuilt, e.g. 3.1"));
        }
        String labelRelease = request.labels().get("release");
        if (!isBlank(release) && labelRelease != null && !labelRelease.equals(release)) {
            violations.add(new Violation(ReasonCode.RELEASE_LABEL_CONFLICT, "labels",
                    "label release=" + labelRelease + " contradicts release " + release,
                    "give the release either as the release field or as a label, not both"));
        }
    }

    private static void checkPlatforms(BuildRequest request, Configuration config, List<Violation> violations) {
        Set<String> seen = new HashSet<>();
        for (String platform : request.platforms()) {
            if (!seen.add(platform)) {
                violations.add(new Violation(ReasonCode.DUPLICATE_PLATFORM, "platforms",
                        "platform '" + platform + "' is listed twice", "list each platform once in platforms"));
            } else if (!config.platforms().isEmpty() && !config.platforms().containsKey(platform)) {
                violations.add(new Violation(ReasonCode.UNKNOWN_PLATFORM, "platforms",
                        "platform '" + platform + "' is not configured",
                        "use one of " + config.platforms().keySet() + " or add a [platform:" + platform
                                + "] section to the configuration"));
            }
        }
    }

    /**
     * The policy asked for (or, when none is, the configured default) must be one the configuration
     * permits: a build never gets more network than the operator allows, and never silently less.
     */
    private static void checkNetworkPolicy(BuildRequest request, Configuration config, List<Violation> violations) {
        String asked = request.networkPolicy();
        boolean explicit = asked != null && !asked.isBlank();
        String wanted = explicit ? asked : config.buildNetwork();
        var policy = NetworkPolicy.byName(wanted);
        if (policy.isEmpty()) {
            violations.add(new Violation(ReasonCode.UNKNOWN_NETWORK_POLICY, "network_policy",
                    "network policy '" + wanted + "' is not none, allowlist or open",
                    "set network_policy to none, allowlist or open"));
        } else if (!config.buildNetworkPermit().contains(policy.get().wireName())) {
            violations.add(new Violation(ReasonCode.NETWORK_POLICY_FORBIDDEN, "network_policy",
                    (explicit ? "network policy " : "the default network policy (strata_build_network) ") + policy.get()
                            + " is not permitted here: strata_build_network_permit = "
                            + String.join(",", config.buildNetworkPermit()),
                    "ask for one of " + config.buildNetworkPermit() + " in network_policy, or have the operator add "
                            + policy.get() + " to strata_build_network_permit"));
        }
    }

    private static void checkLabelsAndArgs(BuildRequest request, List<Violation> violations) {
        request.labels().keySet().stream().sorted().filter(k -> !LABEL_KEY.matcher(k).matches()).forEach(key ->
                violations.add(new Violation(ReasonCode.INVALID_LABEL_KEY, "labels",
                        "label key '" + key + "' is invalid",
                        "spell label keys with letters, digits, '.', '_', '/', '-', starting and ending with a letter or digit")));
        request.buildArgs().keySet().stream().sorted().filter(k -> !BUILD_ARG_KEY.matcher(k).matches()).forEach(key ->
                violations.add(new Violation(ReasonCode.INVALID_BUILD_ARG_KEY, "build_args",
                        "build argument name '" + key + "' is invalid",
                        "spell build argument names with letters, digits and '_', not starting with a digit")));
    }

    /**
     * http(s)/git/ssh URIs need a host and a path; file URIs a path; or git's scp-like form; or, as
     * git takes it, an absolute local path (a relative one means nothing to a build service: front
     * ends resolve it against their own working directory first).
     */
    static boolean isGitUri(String uri) {
        if (SCP_LIKE.matcher(uri).matches()) {
            return true;
        }
        if (uri.startsWith("/") && !uri.startsWith("//")) {
            return uri.length() > 1 && uri.indexOf('\0') < 0;
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() == null || !GIT_SCHEMES.contains(parsed.getScheme().toLowerCase(Locale.ROOT))) {
                return false;
            }
            boolean hasPath = parsed.getPath() != null && parsed.getPath().length() > 1;
            return parsed.getScheme().equalsIgnoreCase("file") ? hasPath : parsed.getHost() != null && hasPath;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean insideRepository(String path) {
        if (path.indexOf('\0') >= 0) {
            return false;
        }
        Path relative = Path.of(path);
        return !relative.isAbsolute() && !relative.normalize().startsWith("..");
    }

    private static boolean hasScheme(String url, Set<String> schemes) {
        try {
            URI parsed = new URI(url);
            return parsed.getScheme() != null && schemes.contains(parsed.getScheme().toLowerCase(Locale.ROOT))
                    && (parsed.getScheme().equalsIgnoreCase("file") || parsed.getHost() != null);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
