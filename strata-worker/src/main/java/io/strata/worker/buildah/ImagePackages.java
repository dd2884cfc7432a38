package io.strata.worker.buildah;

import io.strata.core.build.RpmComponent;
import java.util.List;
import java.util.Optional;

/**
 * The package databases of an image, read from one working container.
 *
 * @param rpms        the rpm packages (empty without rpm)
 * @param dpkgStatus  the text of /var/lib/dpkg/status, when the image has one
 * @param osReleaseId the ID of /etc/os-release (debian, ubuntu, fedora, ...), when there is one
 */
public record ImagePackages(List<RpmComponent> rpms, Optional<String> dpkgStatus, Optional<String> osReleaseId) {
    public ImagePackages {
        rpms = List.copyOf(rpms);
    }
}
