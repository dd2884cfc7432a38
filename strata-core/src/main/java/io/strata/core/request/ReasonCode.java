package io.strata.core.request;

/**
 * Why a build request was refused. Stable names: they are stored in build records, printed by the
 * CLI and listed in docs/reasons.md (the catalogue of every reason code). Each constant's summary is
 * the one-line doc.
 */
public enum ReasonCode {
    /** The component name is missing. */
    MISSING_COMPONENT("the component name is missing"),
    /** The component name is not usable as an image repository name. */
    INVALID_COMPONENT("the component name has characters an image name cannot have"),
    /** The git URI is missing. */
    MISSING_GIT_URI("the git URI is missing"),
    /** The git ref is missing. */
    MISSING_GIT_REF("the git ref (commit, tag or branch) is missing"),
    /** The git URI is not an http(s), git, ssh or file URI or an scp-like user@host:path. */
    MALFORMED_GIT_URI("the git URI is not http(s)://, git://, ssh://, file:// or user@host:path"),
    /** The Dockerfile path is absolute or leaves the repository. */
    INVALID_DOCKERFILE_PATH("the Dockerfile path is absolute or climbs out of the repository with .."),
    /** Scratch and isolated were both asked for; they exclude each other. */
    SCRATCH_AND_ISOLATED("a build cannot be both scratch and isolated"),
    /** An isolated build needs an explicit release of the form N.N or N.N.anything. */
    ISOLATED_WITHOUT_RELEASE("an isolated build needs a release matching ^\\d+\\.\\d+(\\..+)?$"),
    /** The release has characters a release label cannot have. */
    INVALID_RELEASE("the release may hold only letters, digits, '_' and '.'"),
    /** The release label and the release field say different things. */
    RELEASE_LABEL_CONFLICT("the 'release' label differs from the release field"),
    /** A platform the configuration does not declare. */
    UNKNOWN_PLATFORM("a platform is not declared by a [platform:NAME] section of the configuration"),
    /** The same platform was given twice. */
    DUPLICATE_PLATFORM("a platform is listed twice"),
    /** The priority is outside the allowed range. */
    PRIORITY_OUT_OF_RANGE("the priority is outside " + BuildRequestValidator.MIN_PRIORITY + ".."
            + BuildRequestValidator.MAX_PRIORITY),
    /** A label key is not a valid image label key. */
    INVALID_LABEL_KEY("a label key is not a valid image label key"),
    /** A build argument name is not a valid ARG name. */
    INVALID_BUILD_ARG_KEY("a build argument name is not a valid Dockerfile ARG name"),
    /** A yum repository URL is not an http(s), ftp or file URL. */
    INVALID_YUM_REPO_URL("a yum repository URL is not an http(s), ftp or file URL"),
    /** The Koji task id is not a positive number. */
    INVALID_KOJI_TASK_ID("the Koji task id is not a positive number"),
    /** The network policy is not none, allowlist or open. */
    UNKNOWN_NETWORK_POLICY("the network policy is not none, allowlist or open"),
    /** The configuration does not let requests ask for this network policy. */
    NETWORK_POLICY_FORBIDDEN("the configuration does not permit this network policy (strata_build_network_permit)");

    private final String summary;

    ReasonCode(String summary) {
        this.summary = summary;
    }

    /** The one-line meaning, as documented. */
    public String summary() {
        return summary;
    }
}
