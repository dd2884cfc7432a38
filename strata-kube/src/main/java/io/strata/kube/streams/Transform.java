package io.strata.kube.streams;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ways a raw ART image can be turned into its CI equivalent. Each one names a Dockerfile
 * template in the group directory ({@code streams_transforms/<id>/Dockerfile}).
 *
 * <p>The base-repos and golang transforms replace the image's yum repositories with CI's RPM mirror
 * service (and the localdev repositories of the RHEL release's profile); ci-build-root only layers its
 * template, because it is built from an image that already went through one of the others.
 */
public enum Transform {
    RHEL_7_BASE_REPOS("rhel-7/base-repos", RhelRelease.RHEL_7, true),
    RHEL_8_BASE_REPOS("rhel-8/base-repos", RhelRelease.RHEL_8, true),
    RHEL_7_GOLANG("rhel-7/golang", RhelRelease.RHEL_7, true),
    RHEL_8_GOLANG("rhel-8/golang", RhelRelease.RHEL_8, true),
    RHEL_7_CI_BUILD_ROOT("rhel-7/ci-build-root", RhelRelease.RHEL_7, false),
    RHEL_8_CI_BUILD_ROOT("rhel-8/ci-build-root", RhelRelease.RHEL_8, false);

    private final String id;
    private final RhelRelease rhel;
    private final boolean replacesRepos;

    Transform(String id, RhelRelease rhel, boolean replacesRepos) {
        this.id = id;
        this.rhel = rhel;
        this.replacesRepos = replacesRepos;
    }

    /** The name used in streams.yml and as the template directory, e.g. {@code rhel-8/golang}. */
    public String id() {
        return id;
    }

    public RhelRelease rhel() {
        return rhel;
    }

    /** Whether the transform points yum at CI's RPM mirrors (and adds the localdev repositories). */
    public boolean replacesRepos() {
        return replacesRepos;
    }

    public static Optional<Transform> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    /** The valid ids, comma separated, for error messages. */
    public static String validIds() {
        return Arrays.stream(values()).map(Transform::id).collect(Collectors.joining(", "));
    }

    /** A RHEL release: which CI mirror service and yum tooling to use, and which localdev profile applies. */
    public enum RhelRelease {
        RHEL_7("el7"),
        RHEL_8("el8");

        private final String localdevProfile;

        RhelRelease(String localdevProfile) {
            this.localdevProfile = localdevProfile;
        }

        /** The ci_alignment profile in group.yml repos that selects localdev repositories for this release. */
        public String localdevProfile() {
            return localdevProfile;
        }
    }
}
